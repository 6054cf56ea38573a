import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePaper } from "../../src/core/paper.js";
import type { Database } from "../../src/db/client.js";
import { isConnectionError } from "../../src/db/connection-errors.js";
import { createStore } from "../../src/db/store.js";
import { paperBatches } from "../helpers/paper-batches.js";
import { freshPostgres } from "../helpers/test-databases.js";

// The server ends paperboy's connections in the middle of their work (pg_terminate_backend: what an
// admin, a failover or a pooler restart does). postgres.js 3.4.9 then wrote the next query to a
// socket it had already dropped, from a setImmediate, and the TypeError ended the whole process
// (porsager/postgres#1208); patches/postgres+3.4.9.patch makes that write fail its query instead.
// Before the patch, each test here ended the test worker with that TypeError.

const serverUrl = process.env.TEST_DATABASE_URL;
const NOW = new Date("2026-01-15T00:00:00Z");

let db: Database;
let admin: postgres.Sql;
let drop: () => Promise<void>;

beforeAll(async () => {
  if (!serverUrl) return;
  const fresh = await freshPostgres(serverUrl);
  db = fresh.db;
  drop = fresh.drop;
  admin = postgres(fresh.url, { max: 1, onnotice: () => {} });
});

afterAll(async () => {
  await admin?.end();
  await drop?.();
});

/** Ends server processes and waits until they are gone, so the client sees the close first. */
async function terminate(pids: number[]): Promise<void> {
  for (const pid of pids) await admin`select pg_terminate_backend(${pid}, 5000)`;
  // The server is done; the client's socket learns of it on its next turn of the event loop.
  await new Promise((resolve) => setTimeout(resolve, 100));
}

async function otherBackends(): Promise<number[]> {
  const rows = await admin<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
  return rows.map((row) => row.pid);
}

describe.skipIf(!serverUrl)("connections the server kills mid-work (set TEST_DATABASE_URL to run)", () => {
  it("fails the next query of a transaction with a connection error, and the pool serves the one after", async () => {
    const client = db.postgres as postgres.Sql;
    const failure = await client
      .begin(async (tx) => {
        const [row] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
        await terminate([row?.pid as number]);
        await tx`select 1`;
      })
      .then(
        () => new Error("the transaction went on after its connection was killed"),
        (error: unknown) => error,
      );
    expect(isConnectionError(failure), String(failure)).toBe(true);
    expect(await db.ping()).toBe(true);
  });

  it("stops a bulk load whose connections are killed between batches, keeping whole batches only", async () => {
    const store = createStore(db).papers;
    const papers = Array.from({ length: 60 }, (_, i) =>
      makePaper({
        id: `2405.${String(i).padStart(5, "0")}`,
        title: `Quokkamorph paper ${i}`,
        source: "test",
      }),
    );
    const killedAfterTwo = paperBatches(papers, 10, async (start) => {
      if (start === 20) await terminate(await otherBackends());
    });
    const failure = await store.bulkUpsert(killedAfterTwo, NOW).then(
      () => new Error("the load went on after its connections were killed"),
      (error: unknown) => error,
    );
    expect(isConnectionError(failure), String(failure)).toBe(true);
    const count = async () =>
      Number((await db.rows<{ n: number }>(sql`select count(*)::int as n from papers`))[0]?.n);
    const kept = await count();
    expect(kept % 10, `${kept} papers: a batch was half written`).toBe(0);
    expect(await store.bulkUpsert(paperBatches(papers, 10), NOW)).toEqual({
      inserted: 60 - kept,
      updated: kept,
    });
    const [terms] = await db.rows<{ docs: number }>(
      sql`select docs from search_terms where word = 'quokkamorph'`,
    );
    expect(Number(terms?.docs)).toBe(60);
  });
});
