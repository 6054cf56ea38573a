import { expect, it } from "vitest";
import { PlatformError } from "../../src/core/chat-platform.js";
import type { Store } from "../../src/core/ports.js";
import { createStore } from "../../src/db/store.js";
import { describeEachDatabase } from "../helpers/test-databases.js";
import { ManualClock, papersOn, RecordingPoster, scheduler, subscribeChannel } from "./digest-harness.js";

const statuses = async (results: Promise<Map<number, { status: string }>>) =>
  [...(await results).values()].map((r) => r.status);

describeEachDatabase("digests when parts fail", (t) => {
  it("a paper that went out is never sent again, even when recording it failed", async () => {
    const base = createStore(t.db);
    let failOnce = true;
    const store: Store = {
      ...base,
      posts: {
        ...base.posts,
        async markSent(...args) {
          if (failOnce) {
            failOnce = false;
            throw new Error("Connection terminated unexpectedly");
          }
          return base.posts.markSent(...args);
        },
      },
    };
    const clock = new ManualClock(new Date("2026-01-14T00:00:00Z"));
    await store.papers.upsert(papersOn("2026-01-14", 3), clock.now());
    await subscribeChannel(store, "C1", clock.now());
    const poster = new RecordingPoster();
    const bot = scheduler(store, poster, clock);
    clock.set("2026-01-14T09:00:00Z");
    expect(await statuses(bot.tick())).toEqual(["failed"]);
    clock.set("2026-01-14T09:01:00Z");
    expect(await statuses(bot.tick())).toEqual(["posted"]);
    expect(poster.postedTo("C1")).toEqual(["2601.10000", "2601.10001", "2601.10002"]);
  });

  it("papers of a day the platform was down all along go out the next day", async () => {
    const store = createStore(t.db);
    const clock = new ManualClock(new Date("2026-01-14T00:00:00Z"));
    await store.papers.upsert(papersOn("2026-01-14", 5), clock.now());
    await subscribeChannel(store, "C1", clock.now());
    const poster = new RecordingPoster();
    let down = true;
    poster.beforePaper = async () => {
      if (down) throw new PlatformError("Slack: could not post: 503", false);
    };
    const bot = scheduler(store, poster, clock);
    // Every retry of the day (1, 5, 15 and 30 minutes apart) fails, then the run gives up.
    for (const time of ["09:00", "09:01", "09:06", "09:21", "09:51"]) {
      clock.set(`2026-01-14T${time}:00Z`);
      expect(await statuses(bot.tick())).toEqual(["failed"]);
    }
    clock.set("2026-01-14T10:21:00Z");
    expect(await statuses(bot.tick())).toEqual(["already-done"]);
    down = false;
    clock.set("2026-01-15T09:00:00Z");
    expect(await statuses(bot.tick())).toEqual(["posted"]);
    // The day before's best three never reached the channel: they are still its news.
    expect(poster.postedTo("C1")).toEqual(["2601.10000", "2601.10001", "2601.10002"]);
  });

  it("a new digest time set while a digest posts is kept", async () => {
    const store = createStore(t.db);
    const clock = new ManualClock(new Date("2026-01-14T00:00:00Z"));
    await store.papers.upsert(papersOn("2026-01-14", 3), clock.now());
    await subscribeChannel(store, "C1", clock.now());
    const poster = new RecordingPoster();
    let entered!: () => void;
    const posting = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    poster.beforePaper = async (_card, index) => {
      if (index !== 0) return;
      entered();
      await gate;
    };
    const bot = scheduler(store, poster, clock);
    clock.set("2026-01-14T09:00:00Z");
    const tick = statuses(bot.tick());
    await posting;
    const moved = await subscribeChannel(store, "C1", clock.now(), { digestTime: "17:00" });
    expect(moved.nextDigestAt?.toISOString()).toBe("2026-01-14T17:00:00.000Z");
    release();
    expect(await tick).toEqual(["posted"]);
    expect((await store.channels.find("slack", "C1"))?.nextDigestAt?.toISOString()).toBe(
      "2026-01-14T17:00:00.000Z",
    );
    // At 17:00 today's digest has been posted already: nothing goes out twice, and tomorrow is at 17:00.
    clock.set("2026-01-14T17:00:00Z");
    expect(await statuses(bot.tick())).toEqual(["already-done"]);
    expect(poster.postedTo("C1")).toEqual(["2601.10000", "2601.10001", "2601.10002"]);
    expect((await store.channels.find("slack", "C1"))?.nextDigestAt?.toISOString()).toBe(
      "2026-01-15T17:00:00.000Z",
    );
  });

  it("moves on after posting when the due time was set in SQL, to the microsecond", async () => {
    const store = createStore(t.db);
    const clock = new ManualClock(new Date("2026-01-14T00:00:00Z"));
    await store.papers.upsert(papersOn("2026-01-14", 3), clock.now());
    await subscribeChannel(store, "C1", clock.now());
    await t.db.exec(
      "update channels set next_digest_at = timestamptz '2026-01-14T09:00:00.123456Z' where channel_ref = 'C1'",
    );
    const bot = scheduler(store, new RecordingPoster(), clock);
    clock.set("2026-01-14T09:01:00Z");
    expect(await statuses(bot.tick())).toEqual(["posted"]);
    expect((await store.channels.find("slack", "C1"))?.nextDigestAt?.toISOString()).toBe(
      "2026-01-15T09:00:00.000Z",
    );
  });

  it("channels that cannot post (the bot was removed) do not hold back the others", async () => {
    const store = createStore(t.db);
    const clock = new ManualClock(new Date("2026-01-14T00:00:00Z"));
    await store.papers.upsert(papersOn("2026-01-14", 3), clock.now());
    for (const ref of ["KICKED1", "KICKED2", "KICKED3"]) await subscribeChannel(store, ref, clock.now());
    await subscribeChannel(store, "LATE", clock.now(), { digestTime: "10:00" });
    const poster = new RecordingPoster();
    const header = poster.postHeader.bind(poster);
    poster.postHeader = async (channel) => {
      if (channel.channelRef.startsWith("KICKED"))
        throw new PlatformError("Slack refused to post (not_in_channel)", true, "not_in_channel");
      return header(channel);
    };
    // Three due channels fill a tick's batch.
    const bot = scheduler(store, poster, clock, "process-a", { dueBatch: 3 });
    clock.set("2026-01-14T09:00:00Z");
    expect(await statuses(bot.tick())).toEqual(["failed", "failed", "failed"]);
    clock.set("2026-01-14T10:00:00Z");
    expect(await statuses(bot.tick())).toEqual(["posted"]);
    expect(poster.postedTo("LATE")).toEqual(["2601.10000", "2601.10001", "2601.10002"]);
    // The removed ones are due again at tomorrow's slot, not every minute.
    const kicked = await store.channels.find("slack", "KICKED1");
    expect(kicked?.nextDigestAt?.toISOString()).toBe("2026-01-15T09:00:00.000Z");
  });
});
