import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../src/db/client.js";
import { PGLITE_EXTENSIONS } from "../../src/db/pglite-extensions.js";

/**
 * A fresh PGlite takes seconds to initdb; every test file instead loads this migrated snapshot
 * (well under a second), so each file still gets its own fresh database.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "paperboy-test-"));
  const pglite = await PGlite.create({ extensions: PGLITE_EXTENSIONS });
  const db = await openDatabase({ pglite });
  await db.migrate();
  const dump = await pglite.dumpDataDir("none");
  const path = join(dir, "migrated.tar");
  writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();
  project.provide("pgliteSnapshot", path);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteSnapshot: string;
  }
}
