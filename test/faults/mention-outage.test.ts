import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MentionEvent } from "../../src/core/discussion/mention.js";
import type { Paperboy } from "../../src/core/paperboy.js";
import { type Database, openDatabase } from "../../src/db/client.js";
import { createStore } from "../../src/db/store.js";
import { ManualClock } from "../digests/digest-harness.js";
import { byTitle, loadSample, makeCore, postPaper } from "../discussion/discussion-harness.js";
import { ThrowawayPostgres, throwawayPostgresUnavailable } from "./throwaway-postgres.js";

// A mention whose event can't be claimed because the database is down: the core can't know whether
// another replica answered it, so it doesn't answer; it says the database is unavailable, and the same
// event is answered once the database is back (nothing was claimed).

const skip = throwawayPostgresUnavailable();
const THREAD = "1700000000.000100";

let pg: ThrowawayPostgres;
let db: Database;
let core: Paperboy;

describe.skipIf(skip)(`mentions while PostgreSQL is down (${skip ?? "a throwaway cluster"})`, () => {
  beforeAll(async () => {
    pg = await ThrowawayPostgres.create();
    db = await openDatabase({ databaseUrl: pg.url, poolSize: 2 });
    await db.migrate();
    const store = createStore(db);
    const clock = new ManualClock(new Date("2026-01-14T10:00:00Z"));
    const papers = await loadSample(store, clock.now());
    await postPaper(store, "C1", byTitle(papers, "ZipVL").id, THREAD);
    core = makeCore(store, clock);
  }, 120_000);

  afterAll(async () => {
    await db?.close().catch(() => {});
    await pg?.destroy();
  }, 60_000);

  const mention = (eventId: string, threadRef: string | null): MentionEvent => ({
    platform: "slack",
    channelRef: "C1",
    threadRef,
    userRef: "U1",
    text: "<@UBOT> how much GPU memory does it save?",
    eventId,
  });

  it("says the database is unavailable instead of answering, then answers the same event once", async () => {
    await pg.stop();
    for (const threadRef of [THREAD, null]) {
      expect(await core.mention(mention("Ev0OUTAGE1", threadRef))).toMatchObject({
        tone: "error",
        title: "The database is unavailable; try again in a moment.",
      });
    }
    await pg.start();
    expect((await core.mention(mention("Ev0OUTAGE1", THREAD)))?.title).toMatch(/^From “ZipVL/);
    expect(await core.mention(mention("Ev0OUTAGE1", THREAD))).toBeNull();
  });
});
