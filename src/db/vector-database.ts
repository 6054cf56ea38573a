import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { type Database, openDatabase } from "./client.js";

/** Where paper vectors are kept, and whether that is the papers' own database. */
export interface VectorDatabase {
  db: Database;
  /** False on a server (one database, foreign keys to papers); true for the embedded default. */
  separate: boolean;
  close(): Promise<void>;
}

/**
 * On a PostgreSQL server, the database itself. Embedded, a PGlite of its own with pgvector
 * (`<data dir>/pglite-vectors`, in memory when the papers' PGlite is), opened only once vectors are
 * wanted: see pglite-extensions.ts for why pgvector can't share the papers' PGlite.
 */
export async function openVectorDatabase(papers: Database): Promise<VectorDatabase> {
  if (papers.kind === "postgres") return { db: papers, separate: false, close: async () => {} };
  const options = { extensions: { vector } };
  const pglite = papers.dataDir
    ? await PGlite.create(join(papers.dataDir, "pglite-vectors"), options)
    : await PGlite.create(options);
  return { db: await openDatabase({ pglite }), separate: true, close: () => pglite.close() };
}
