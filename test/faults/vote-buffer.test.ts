import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatabaseUnavailableError } from "../../src/core/database-unavailable.js";
import { makePaper } from "../../src/core/paper.js";
import type { Logger, PostRecord, Store } from "../../src/core/ports.js";
import { parseEmojiActions } from "../../src/core/votes/emoji-actions.js";
import { type ReactionEvent, recordReaction } from "../../src/core/votes/record-reaction.js";
import { VoteBuffer } from "../../src/core/votes/vote-buffer.js";
import { type Database, openDatabase } from "../../src/db/client.js";
import { isConnectionError } from "../../src/db/connection-errors.js";
import { createStore } from "../../src/db/store.js";
import { ThrowawayPostgres, throwawayPostgresUnavailable } from "./throwaway-postgres.js";

// The vote buffer and the error classification against a PostgreSQL server this file stops and starts
// itself: the errors are the ones postgres.js really throws, not imitations.

const skip = throwawayPostgresUnavailable();
const NOW = new Date("2026-01-11T06:30:00Z");

/** Log lines kept for assertions. */
function recordingLogger(): Logger & { lines: { level: string; obj: object; msg: string | undefined }[] } {
  const lines: { level: string; obj: object; msg: string | undefined }[] = [];
  const keep = (level: string) => (obj: object | string, msg?: string) =>
    void lines.push({
      level,
      obj: typeof obj === "string" ? {} : obj,
      msg: typeof obj === "string" ? obj : msg,
    });
  return { lines, info: keep("info"), warn: keep("warn"), error: keep("error"), debug: keep("debug") };
}

const EMOJI = parseEmojiActions(undefined);

/** A reaction recorded as the core records it (the default emoji map), logging to `logger`. */
function record(event: ReactionEvent, logger: Logger) {
  if (!EMOJI.ok) throw new Error(EMOJI.error);
  return recordReaction({ store, emojiActions: EMOJI.value, logger }, event);
}

let pg: ThrowawayPostgres;
let db: Database;
let store: Store;
let post: PostRecord;

describe.skipIf(skip)(`votes while PostgreSQL is down (${skip ?? "a throwaway cluster"})`, () => {
  beforeAll(async () => {
    pg = await ThrowawayPostgres.create();
    db = await openDatabase({ databaseUrl: pg.url, poolSize: 4 });
    await db.migrate();
    store = createStore(db);
    await store.papers.upsert(
      [makePaper({ id: "2601.00001", title: "A", abstract: "A.", source: "huggingface" })],
      NOW,
    );
    const channel = await store.channels.ensure({ platform: "slack", workspaceId: "T1", channelRef: "C1" });
    const reserved = await store.posts.reserve(channel.id, "2601.00001", null, 0);
    if (!reserved) throw new Error("the post was not reserved");
    await store.posts.markSent(reserved.id, "m-1");
    post = reserved;
  });

  afterAll(async () => {
    await db?.close().catch(() => {});
    await pg?.destroy();
  });

  it("a server stopping mid-query and a server gone are 'unavailable'; a bad query is not", async () => {
    const sleeping = db.rows(sql`select pg_sleep(30)`).then(
      () => null,
      (error: unknown) => error,
    );
    // The query is running on the server before it stops.
    for (let i = 0; i < 100; i++) {
      const [row] = await db.rows<{ n: number }>(
        sql`select count(*)::int as n from pg_stat_activity where query like 'select pg_sleep%'`,
      );
      if ((row?.n ?? 0) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await pg.stop();
    const interrupted = await sleeping;
    expect(interrupted).toBeInstanceOf(Error);
    expect(isConnectionError(interrupted)).toBe(true);

    const gone = await store.papers.count().then(
      () => null,
      (error: unknown) => error,
    );
    expect(gone).toBeInstanceOf(DatabaseUnavailableError);
    expect(isConnectionError((gone as Error).cause)).toBe(true);

    await pg.start();
    // The first queries after a restart may still fail with the old session's error; then it answers.
    await expect.poll(() => store.papers.count().catch(() => -1), { timeout: 30_000 }).toBe(1);
    const wrong = await db.rows(sql`selec 1`).then(
      () => null,
      (error: unknown) => error,
    );
    expect(wrong).toBeInstanceOf(Error);
    expect(isConnectionError(wrong)).toBe(false);
  });

  it("holds votes up to its bound, counts and logs the rest, and writes the held ones once when it is back", async () => {
    const logger = recordingLogger();
    const buffer = new VoteBuffer({
      record: (event) => record(event, logger),
      logger,
      capacity: 3,
      maxBackoffMs: 200,
    });
    const drops: [number, string][] = [];
    buffer.onDrop((count, reason) => drops.push([count, reason]));
    const reaction = (user: string, second: number): ReactionEvent => ({
      platform: "slack",
      channelRef: "C1",
      messageRef: "m-1",
      userRef: user,
      emoji: "+1",
      added: true,
      eventAt: new Date(NOW.getTime() + second * 1000),
      fromBot: false,
    });
    const events = ["U1", "U2", "U3", "U4", "U5"].map((user, i) => reaction(user, i));

    await pg.stop();
    const outcomes = [];
    for (const event of events) outcomes.push(await buffer.reaction(event));
    expect(outcomes).toEqual(["buffered", "buffered", "buffered", "buffered", "buffered"]);
    expect(buffer.size).toBe(3);
    expect(drops).toEqual([
      [1, "full"],
      [1, "full"],
    ]);
    expect(logger.lines.filter((l) => l.level === "warn").map((l) => [l.msg, l.obj])).toEqual([
      ["database unavailable; holding votes until it is back", expect.anything()],
      ["vote buffer full; new reactions are dropped until the database is back", { capacity: 3, dropped: 1 }],
    ]);

    await pg.start();
    expect(await buffer.flush(60_000)).toBe(0);
    const rows = await db.rows<{ user_ref: string }>(
      sql`select user_ref from votes where post_id = ${post.id} order by user_ref`,
    );
    expect(rows.map((r) => r.user_ref)).toEqual(["U1", "U2", "U3"]);
    expect(await store.votes.netVotes(post.id)).toBe(3);
    expect(logger.lines.find((l) => l.msg === "database back; held votes written")?.obj).toEqual({
      written: 3,
      dropped: 2,
    });

    // Written again (a vote stored just before the connection broke, then replayed): nothing changes.
    for (const event of events.slice(0, 3)) {
      expect(await record(event, logger)).toBe("unchanged");
    }
    const [count] = await db.rows<{ n: number }>(sql`select count(*)::int as n from votes`);
    expect(count?.n).toBe(3);
  });

  it("gives up at the flush deadline while the database is still down, and says how many were lost", async () => {
    const logger = recordingLogger();
    const buffer = new VoteBuffer({
      record: (event) => record(event, logger),
      logger,
    });
    const drops: [number, string][] = [];
    buffer.onDrop((count, reason) => drops.push([count, reason]));
    await pg.stop();
    try {
      for (const user of ["U6", "U7"]) {
        await buffer.reaction({
          platform: "slack",
          channelRef: "C1",
          messageRef: "m-1",
          userRef: user,
          emoji: "fire",
          added: true,
          eventAt: NOW,
          fromBot: false,
        });
      }
      expect(await buffer.flush(500)).toBe(2);
      expect(drops).toEqual([[2, "shutdown"]]);
      expect(logger.lines.find((l) => l.level === "error")).toMatchObject({
        obj: { lost: 2 },
        msg: "shutdown: votes held while the database was unavailable were not written and are lost",
      });
    } finally {
      await pg.start();
    }
  });
});
