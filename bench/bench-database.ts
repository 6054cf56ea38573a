import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { type Database, openDatabase } from "../src/db/client.js";
import { PGLITE_EXTENSIONS } from "../src/db/pglite-extensions.js";

/**
 * A fresh, migrated database for one benchmark: on the server at BENCH_DATABASE_URL (or
 * TEST_DATABASE_URL) when set, else an in-memory PGlite. Dropped by `close`.
 */
export async function benchDatabase(suffix = ""): Promise<{
  db: Database;
  label: string;
  url?: string;
  close(): Promise<void>;
}> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const pglite = await PGlite.create({ extensions: PGLITE_EXTENSIONS });
    const db = await openDatabase({ pglite });
    await db.migrate();
    return { db, label: "PGlite (in memory)", close: () => pglite.close() };
  }
  const name = `paperboy_bench_${process.pid}${suffix ? `_${suffix}` : ""}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), poolSize: 8 });
  await db.migrate();
  return {
    db,
    label: `PostgreSQL server (${url.host})`,
    url: url.toString(),
    close: async () => {
      await db.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}
