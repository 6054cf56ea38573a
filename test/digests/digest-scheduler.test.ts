import { expect, it } from "vitest";
import { nextDigestAt } from "../../src/core/digests/schedule.js";
import { openDatabase } from "../../src/db/client.js";
import { createStore } from "../../src/db/store.js";
import { describeEachDatabase } from "../helpers/test-databases.js";
import { ManualClock, papersOn, RecordingPoster, scheduler, subscribeChannel } from "./digest-harness.js";

describeEachDatabase("digest scheduling", (t) => {
  it("posts a 09:00 Europe/Berlin digest once, at 08:00 UTC in winter and 07:00 UTC in summer", async () => {
    const store = createStore(t.db);
    for (const [day, before, at, after] of [
      ["2026-01-14", "2026-01-14T07:59:00Z", "2026-01-14T08:00:00Z", "2026-01-14T08:01:00Z"],
      ["2026-07-15", "2026-07-15T06:59:00Z", "2026-07-15T07:00:00Z", "2026-07-15T07:01:00Z"],
    ] as const) {
      await t.db.exec("truncate votes, posts, digest_runs, channels, papers restart identity cascade");
      const clock = new ManualClock(new Date(`${day}T00:00:00Z`));
      await store.papers.upsert(papersOn(day, 5), clock.now());
      await subscribeChannel(store, "C-BERLIN", clock.now(), { timezone: "Europe/Berlin" });
      const poster = new RecordingPoster();
      const bot = scheduler(store, poster, clock);

      clock.set(before);
      expect((await bot.tick()).size).toBe(0);
      clock.set(at);
      const results = [...(await bot.tick()).values()];
      expect(results.map((r) => r.status)).toEqual(["posted"]);
      clock.set(after);
      expect((await bot.tick()).size).toBe(0);
      expect(poster.headers).toEqual(["C-BERLIN"]);
      expect(poster.postedTo("C-BERLIN")).toEqual(["2601.10000", "2601.10001", "2601.10002"]);
    }
  });

  it("schedules by local dates, so DST shifts the UTC instant and never skips or doubles a day", () => {
    const berlin = { digestTime: "09:00", timezone: "Europe/Berlin", weekdaysOnly: false };
    // Spring forward: Sunday 29 March 2026 at 02:00 local.
    expect(nextDigestAt(berlin, new Date("2026-03-28T08:00:00Z")).toISOString()).toBe(
      "2026-03-29T07:00:00.000Z",
    );
    // Fall back: Sunday 25 October 2026.
    expect(nextDigestAt(berlin, new Date("2026-10-24T07:00:00Z")).toISOString()).toBe(
      "2026-10-25T08:00:00.000Z",
    );
    // A time that does not exist on the spring-forward day (02:30) still yields exactly one digest that day.
    const gap = { digestTime: "02:30", timezone: "Europe/Berlin", weekdaysOnly: false };
    const sunday = nextDigestAt(gap, new Date("2026-03-28T23:00:00Z"));
    expect(sunday.toISOString().slice(0, 10)).toBe("2026-03-29");
    expect(nextDigestAt(gap, sunday).toISOString().slice(0, 10)).toBe("2026-03-30");
    // Weekdays only: Friday's next is Monday.
    expect(
      nextDigestAt({ ...berlin, weekdaysOnly: true }, new Date("2026-01-16T09:00:00Z")).toISOString(),
    ).toBe("2026-01-19T08:00:00.000Z");
  });

  it("two processes racing on one database post each digest once", async () => {
    const clock = new ManualClock(new Date("2026-01-14T00:00:00Z"));
    const storeA = createStore(t.db);
    // On the server the second process has its own connection pool; PGlite serves one process.
    const second = t.url ? await openDatabase({ databaseUrl: t.url, poolSize: 4 }) : null;
    const storeB = second ? createStore(second) : storeA;
    try {
      await storeA.papers.upsert(papersOn("2026-01-14", 6), clock.now());
      for (const ref of ["C1", "C2", "C3", "C4"]) await subscribeChannel(storeA, ref, clock.now());
      const poster = new RecordingPoster();
      clock.set("2026-01-14T09:00:30Z");
      await Promise.all([
        scheduler(storeA, poster, clock, "process-a").tick(),
        scheduler(storeB, poster, clock, "process-b").tick(),
        scheduler(storeB, poster, clock, "process-c").tick(),
      ]);
      expect(poster.headers.sort()).toEqual(["C1", "C2", "C3", "C4"]);
      for (const ref of ["C1", "C2", "C3", "C4"]) {
        expect(poster.postedTo(ref)).toEqual(["2601.10000", "2601.10001", "2601.10002"]);
      }
    } finally {
      await second?.close();
    }
  });

  it("a process killed mid-digest is completed by the next one without repeating what went out", async () => {
    const store = createStore(t.db);
    const clock = new ManualClock(new Date("2026-01-14T00:00:00Z"));
    await store.papers.upsert(papersOn("2026-01-14", 5), clock.now());
    await subscribeChannel(store, "C1", clock.now(), { paperCount: 5 });
    clock.set("2026-01-14T09:00:00Z");

    const dying = new RecordingPoster();
    // The third paper's send never returns: the process is gone while it was in flight.
    dying.beforePaper = (_card, index) => (index === 2 ? new Promise<void>(() => {}) : Promise.resolve());
    void scheduler(store, dying, clock, "dead-process").tick();
    await expect.poll(() => dying.papers.length).toBe(2);

    const restarted = new RecordingPoster();
    const next = scheduler(store, restarted, clock, "restarted");
    // Within the dead process's lease nobody may take over: the channel is not even due…
    clock.set("2026-01-14T09:01:00Z");
    expect((await next.tick()).size).toBe(0);
    expect(restarted.papers).toEqual([]);
    // …after it, the restarted process finishes the digest.
    clock.set("2026-01-14T09:03:00Z");
    expect([...(await next.tick()).values()].map((r) => r.status)).toEqual(["posted"]);
    expect(restarted.headers).toEqual([]);
    // Papers 0 and 1 went out before the crash, 2 was in flight (never resent), 3 and 4 are sent now.
    expect(dying.postedTo("C1")).toEqual(["2601.10000", "2601.10001"]);
    expect(restarted.postedTo("C1")).toEqual(["2601.10003", "2601.10004"]);
    clock.set("2026-01-14T09:10:00Z");
    expect((await next.tick()).size).toBe(0);
  });

  it("a bot down at 09:00 and back at 11:00 posts the 09:00 digest", async () => {
    const store = createStore(t.db);
    const clock = new ManualClock(new Date("2026-01-14T06:00:00Z"));
    await store.papers.upsert(papersOn("2026-01-14", 3), clock.now());
    await subscribeChannel(store, "C1", clock.now());
    const poster = new RecordingPoster();
    clock.set("2026-01-14T11:00:00Z");
    expect([...(await scheduler(store, poster, clock).tick()).values()].map((r) => r.status)).toEqual([
      "posted",
    ]);
    expect(poster.postedTo("C1")).toHaveLength(3);
    const channel = await store.channels.find("slack", "C1");
    expect(channel?.nextDigestAt?.toISOString()).toBe("2026-01-15T09:00:00.000Z");
  });

  it("a bot down all day posts nothing stale, and the next day's digest as usual", async () => {
    const store = createStore(t.db);
    const clock = new ManualClock(new Date("2026-01-14T06:00:00Z"));
    await store.papers.upsert(papersOn("2026-01-14", 3), clock.now());
    await subscribeChannel(store, "C1", clock.now());
    const poster = new RecordingPoster();
    const bot = scheduler(store, poster, clock);
    clock.set("2026-01-15T07:00:00Z");
    expect([...(await bot.tick()).values()].map((r) => r.status)).toEqual(["skipped"]);
    expect(poster.papers).toEqual([]);
    const runs = await store.digestRuns.recent(5);
    expect(runs.map((r) => [r.localDate, r.status])).toEqual([["2026-01-14", "skipped"]]);
    clock.set("2026-01-15T09:00:00Z");
    expect([...(await bot.tick()).values()].map((r) => r.status)).toEqual(["posted"]);
    expect(poster.postedTo("C1")).toHaveLength(3);
  });

  it("a bot down through yesterday's slot and today's posts today's digest when it comes back today", async () => {
    const store = createStore(t.db);
    const clock = new ManualClock(new Date("2026-01-13T06:00:00Z"));
    await store.papers.upsert(papersOn("2026-01-14", 3), clock.now());
    await subscribeChannel(store, "C1", clock.now());
    const poster = new RecordingPoster();
    clock.set("2026-01-14T10:00:00Z");
    expect([...(await scheduler(store, poster, clock).tick()).values()].map((r) => r.localDate)).toEqual([
      "2026-01-14",
    ]);
    expect(poster.postedTo("C1")).toHaveLength(3);
  });

  it("changing the time zone after today's digest never posts a second one that day", async () => {
    const store = createStore(t.db);
    const clock = new ManualClock(new Date("2026-01-14T00:00:00Z"));
    await store.papers.upsert(papersOn("2026-01-14", 6), clock.now());
    await subscribeChannel(store, "C1", clock.now(), { timezone: "Europe/Berlin" });
    const poster = new RecordingPoster();
    const bot = scheduler(store, poster, clock);
    clock.set("2026-01-14T08:00:00Z");
    await bot.tick();
    clock.set("2026-01-14T08:30:00Z");
    await subscribeChannel(store, "C1", clock.now(), { timezone: "America/New_York" });
    clock.set("2026-01-14T14:00:00Z");
    expect([...(await bot.tick()).values()].map((r) => r.status)).toEqual(["already-done"]);
    expect(poster.headers).toHaveLength(1);
    clock.set("2026-01-15T14:00:00Z");
    expect([...(await bot.tick()).values()].map((r) => r.status)).toEqual(["posted"]);
    expect(poster.headers).toHaveLength(2);
  });

  it("never sends a channel the same paper twice, and posts nothing when nothing is new", async () => {
    const store = createStore(t.db);
    const clock = new ManualClock(new Date("2026-01-14T00:00:00Z"));
    await store.papers.upsert(papersOn("2026-01-14", 4), clock.now());
    await subscribeChannel(store, "C1", clock.now());
    const poster = new RecordingPoster();
    const bot = scheduler(store, poster, clock);
    clock.set("2026-01-14T09:00:00Z");
    await bot.tick();
    clock.set("2026-01-15T09:00:00Z");
    await bot.tick();
    clock.set("2026-01-16T09:00:00Z");
    expect([...(await bot.tick()).values()].map((r) => r.status)).toEqual(["empty"]);
    const sent = poster.postedTo("C1");
    expect(sent).toHaveLength(4);
    expect(new Set(sent).size).toBe(4);
    expect(poster.headers).toHaveLength(2);
  });

  it("retries a failed digest later the same day, sending only what had not gone out", async () => {
    const store = createStore(t.db);
    const clock = new ManualClock(new Date("2026-01-14T00:00:00Z"));
    await store.papers.upsert(papersOn("2026-01-14", 3), clock.now());
    await subscribeChannel(store, "C1", clock.now());
    const poster = new RecordingPoster();
    poster.beforePaper = async (_card, index) => {
      if (index === 1) throw new Error("ratelimited");
    };
    const bot = scheduler(store, poster, clock);
    clock.set("2026-01-14T09:00:00Z");
    expect([...(await bot.tick()).values()].map((r) => r.status)).toEqual(["failed"]);
    poster.beforePaper = async () => {};
    // Not due again before its retry, a minute later.
    clock.set("2026-01-14T09:00:30Z");
    expect((await bot.tick()).size).toBe(0);
    clock.set("2026-01-14T09:01:00Z");
    expect([...(await bot.tick()).values()].map((r) => r.status)).toEqual(["posted"]);
    expect(poster.postedTo("C1")).toEqual(["2601.10000", "2601.10001", "2601.10002"]);
    const [run] = await store.digestRuns.recent(1);
    expect([run?.status, run?.attempts, run?.papersPosted]).toEqual(["done", 2, 3]);
  });
});
