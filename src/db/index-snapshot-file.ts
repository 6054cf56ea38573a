import { createHash } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { IndexSnapshotStore } from "../core/ports.js";

/**
 * The search index's snapshot as one file in `dir`, named after the database it indexes (so two
 * databases never share one). Written to a temporary file and renamed: a crash mid-write leaves the
 * previous snapshot whole.
 */
export function indexSnapshotFile(dir: string, database: string): IndexSnapshotStore {
  const name = `papers-${createHash("sha256").update(database).digest("hex").slice(0, 12)}.idx`;
  const path = join(dir, name);
  return {
    async read() {
      try {
        return await readFile(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
    async write(parts) {
      await mkdir(dir, { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      const file = await open(temporary, "w");
      try {
        for (const part of parts) await file.write(part);
        await file.sync();
      } catch (error) {
        await file.close();
        await rm(temporary, { force: true });
        throw error;
      }
      await file.close();
      await rename(temporary, path);
    },
  };
}

/** Which database a snapshot belongs to: the server and database name (never the password), or the data directory. */
export function databaseIdentity(databaseUrl: string | undefined, dataDir: string): string {
  if (!databaseUrl) return `pglite:${dataDir}`;
  const url = new URL(databaseUrl);
  return `postgres:${url.hostname}:${url.port || 5432}${url.pathname}`;
}
