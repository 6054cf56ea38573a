import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { afterAll, beforeAll, beforeEach, describe, inject } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.js";
import { PGLITE_EXTENSIONS } from "../../src/db/pglite-extensions.js";

export interface TestDatabase {
  readonly db: Database;
  /** The URL of the fresh server database (postgres only), for processes a test starts. */
  readonly url: string | undefined;
}

const TABLES = [
  "votes",
  "saved_papers",
  "posts",
  "digest_runs",
  "channels",
  "search_terms",
  "papers",
  "paper_removals",
  "source_fetches",
  "handled_events",
];

/** A fresh, migrated PGlite for one test file, from the snapshot made once per run. */
export async function freshPglite(): Promise<Database> {
  const blob = new Blob([readFileSync(inject("pgliteSnapshot"))]);
  const pglite = await PGlite.create({ loadDataDir: blob, extensions: PGLITE_EXTENSIONS });
  const db = await openDatabase({ pglite });
  return { ...db, close: async () => pglite.close() };
}

/** A fresh database of its own on the server at TEST_DATABASE_URL, dropped at the end. */
export async function freshPostgres(
  adminUrl: string,
): Promise<{ db: Database; url: string; drop(): Promise<void> }> {
  const name = `paperboy_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  await db.migrate();
  return {
    db,
    url: url.toString(),
    drop: async () => {
      await db.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export const DATABASE_KINDS = ["pglite", ...(process.env.TEST_DATABASE_URL ? ["postgres"] : [])] as const;

/**
 * Runs a suite against PGlite and, when TEST_DATABASE_URL is set, against the real server too, each
 * in a fresh database; tables are emptied before each test.
 */
export function describeEachDatabase(title: string, suite: (t: TestDatabase) => void): void {
  describe.each(DATABASE_KINDS)(`${title} (%s)`, (kind) => {
    let db: Database | undefined;
    let url: string | undefined;
    let drop: () => Promise<void> = async () => {};
    beforeAll(async () => {
      if (kind === "pglite") {
        db = await freshPglite();
        drop = () => (db as Database).close();
      } else {
        const fresh = await freshPostgres(process.env.TEST_DATABASE_URL as string);
        db = fresh.db;
        url = fresh.url;
        drop = fresh.drop;
      }
    });
    beforeEach(async () => {
      await (db as Database).exec(`truncate ${TABLES.join(", ")} restart identity cascade`);
    });
    afterAll(() => drop());
    suite({
      get db() {
        if (!db) throw new Error("database not open yet");
        return db;
      },
      get url() {
        return url;
      },
    });
  });
}
