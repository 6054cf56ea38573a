import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { isConnectionError } from "./connection-errors.js";
import { lockDataDir } from "./data-dir-lock.js";
import { PGLITE_EXTENSIONS } from "./pglite-extensions.js";
import * as schema from "./schema.js";

export type Orm = PgDatabase<PgQueryResultHKT, typeof schema>;

/** One handle over either database: drizzle for typed queries, `rows` for raw SQL on both drivers. */
export interface Database {
  readonly kind: "pglite" | "postgres";
  readonly orm: Orm;
  /** Where an embedded database keeps its files (none when it lives in memory). */
  readonly dataDir?: string;
  /** The server's own client, for what drizzle has no words for (COPY FROM STDIN); postgres only. */
  readonly postgres?: postgres.Sql;
  rows<T extends Record<string, unknown>>(query: SQL): Promise<T[]>;
  /** Several statements in one string (PGlite's `exec`; drizzle's `execute` can't). */
  exec(statements: string): Promise<void>;
  migrate(): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

const MIGRATIONS = resolve(import.meta.dirname, "../../migrations");
// Any constant works; it only has to be the same in every paperboy process.
const MIGRATION_LOCK = 7_261_004_512;

export interface OpenOptions {
  databaseUrl?: string | undefined;
  dataDir?: string;
  /** A PGlite instance to use as it is (tests share one per file). */
  pglite?: PGlite;
  /** The command name shown to a second process that finds the data directory locked. */
  command?: string;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options);
}

export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

async function openPglite(options: OpenOptions): Promise<Database> {
  let release = () => {};
  let client = options.pglite;
  let dataDir: string | undefined;
  if (!client) {
    dataDir = resolve(options.dataDir ?? "./data");
    const lock = lockDataDir(dataDir, options.command ?? "start");
    if ("error" in lock) throw new DatabaseLockedError(lock.error);
    release = lock.release;
    try {
      client = await PGlite.create(`${dataDir}/pglite`, { extensions: PGLITE_EXTENSIONS });
    } catch (error) {
      release();
      throw error;
    }
  }
  const pglite = client;
  const orm = drizzlePglite(pglite, { schema }) as unknown as Orm;
  return {
    kind: "pglite",
    orm,
    dataDir,
    rows: async (query) => rowsOf(await orm.execute(query)),
    exec: async (statements) => {
      await pglite.exec(statements);
    },
    migrate: async () => {
      await migratePglite(orm as never, { migrationsFolder: MIGRATIONS });
    },
    ping: async () => {
      try {
        await pglite.query("select 1");
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      if (!options.pglite) await pglite.close();
      release();
    },
  };
}

let survivesDriverRejections = false;

/**
 * postgres.js runs a query of its own on each new connection (fetchArrayTypes) without waiting for
 * it; when the server goes away during that query, the rejection is unhandled and Node would end the
 * process. Those connection errors are dropped here (the next query reconnects, and every query of
 * ours sees its own error); any other unhandled rejection still ends the process as before.
 */
function surviveDriverRejections(): void {
  if (survivesDriverRejections) return;
  survivesDriverRejections = true;
  process.on("unhandledRejection", (reason) => {
    if (isConnectionError(reason)) return;
    throw reason;
  });
}

function openPostgres(url: string, poolSize: number): Database {
  surviveDriverRejections();
  // A server that is down or unreachable fails a query within about 2 s (not 30), so a command can say
  // "the database is unavailable" while the user still waits. postgres.js waits before reconnecting
  // after failures, growing to 20 s: a query during an outage would sit that long before failing,
  // and the first ones after it before running. Callers that retry pace themselves (the vote buffer).
  const client = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    connect_timeout: 2,
    backoff: (retries) => Math.min(0.05 * 2 ** retries, 0.5),
  });
  const orm = drizzlePostgres(client, { schema }) as unknown as Orm;
  return {
    kind: "postgres",
    orm,
    postgres: client,
    rows: async (query) => rowsOf(await orm.execute(query)),
    exec: async (statements) => {
      await client.unsafe(statements);
    },
    migrate: async () => {
      // Replicas starting together must not run the same migration twice: one session-level
      // advisory lock on a dedicated connection serializes them.
      const single = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await single`select pg_advisory_lock(${MIGRATION_LOCK})`;
        await migratePostgres(drizzlePostgres(single), { migrationsFolder: MIGRATIONS });
        await single`select pg_advisory_unlock(${MIGRATION_LOCK})`;
      } finally {
        await single.end({ timeout: 5 });
      }
    },
    ping: async () => {
      try {
        await client`select 1`;
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      // By now the callers' work is done: what is left is a query the server will never answer (it
      // went away), and waiting longer would only push a shutdown past its 10 s.
      await client.end({ timeout: 2 });
    },
  };
}

export class DatabaseLockedError extends Error {}
