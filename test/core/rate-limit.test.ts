import { describe, expect, it } from "vitest";
import type { CommandContext } from "../../src/core/commands/command.js";
import { createRateLimiter, DEFAULT_RATE_LIMIT } from "../../src/core/commands/rate-limit.js";
import { makePaper } from "../../src/core/paper.js";
import { createPaperboy, type Paperboy } from "../../src/core/paperboy.js";
import { parseEmojiActions } from "../../src/core/votes/emoji-actions.js";
import { createStore } from "../../src/db/store.js";
import { postPaper } from "../discussion/discussion-harness.js";
import { describeEachDatabase } from "../helpers/test-databases.js";

/** A clock the test moves by hand. */
function manualClock(start = Date.parse("2026-03-02T08:00:00Z")) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe("createRateLimiter", () => {
  it("lets a burst of 10 through, refuses the 11th with the wait, and refills one every 3 s", () => {
    const clock = manualClock();
    const limiter = createRateLimiter(clock);
    for (let i = 0; i < 10; i++) expect(limiter.take("slack:U1"), `command ${i + 1}`).toBe(0);
    expect(limiter.take("slack:U1")).toBe(3);
    clock.advance(1_000);
    expect(limiter.take("slack:U1")).toBe(2);
    clock.advance(2_000);
    expect(limiter.take("slack:U1")).toBe(0);
    expect(limiter.take("slack:U1")).toBe(3);
    // A minute's quiet refills the whole burst.
    clock.advance(60_000);
    for (let i = 0; i < 10; i++) expect(limiter.take("slack:U1")).toBe(0);
    expect(limiter.take("slack:U1")).toBeGreaterThan(0);
  });

  it("keeps each user's allowance apart, per platform", () => {
    const limiter = createRateLimiter(manualClock());
    for (let i = 0; i < 10; i++) limiter.take("slack:U1");
    expect(limiter.take("slack:U1")).toBeGreaterThan(0);
    expect(limiter.take("slack:U2")).toBe(0);
    expect(limiter.take("discord:U1")).toBe(0);
  });

  it("holds a steady 20 a minute and no more", () => {
    const clock = manualClock();
    const limiter = createRateLimiter(clock);
    let allowed = 0;
    // One try a second for ten minutes: the burst, then one every 3 s.
    for (let second = 0; second < 600; second++) {
      if (limiter.take("slack:U1") === 0) allowed++;
      clock.advance(1_000);
    }
    expect(allowed).toBe(DEFAULT_RATE_LIMIT.burst + 200 - 1);
  });

  it("forgets idle users, and never tracks more than maxUsers", () => {
    const clock = manualClock();
    const limiter = createRateLimiter(clock, { perMinute: 20, burst: 10, maxUsers: 100 });
    for (let i = 0; i < 1_000; i++) limiter.take(`slack:U${i}`);
    expect(limiter.size).toBe(100);
    // Full again after 30 s of quiet: the same as no bucket, so dropped at the next command.
    clock.advance(30_000);
    limiter.take("slack:someone");
    expect(limiter.size).toBe(1);
  });

  it("bounds the memory of a huge user id", () => {
    const limiter = createRateLimiter(manualClock());
    const huge = `slack:${"U".repeat(100_000)}`;
    for (let i = 0; i < 10; i++) limiter.take(huge);
    expect(limiter.take(huge)).toBeGreaterThan(0);
    expect(limiter.size).toBe(1);
  });

  it("gives nothing back when the clock goes back", () => {
    const clock = manualClock();
    const limiter = createRateLimiter(clock);
    for (let i = 0; i < 10; i++) limiter.take("slack:U1");
    clock.advance(-3_600_000);
    expect(limiter.take("slack:U1")).toBeGreaterThan(0);
  });
});

describeEachDatabase("commands over the rate limit", (t) => {
  function core(clock: ReturnType<typeof manualClock>): Paperboy {
    const emoji = parseEmojiActions(undefined);
    if (!emoji.ok) throw new Error(emoji.error);
    return createPaperboy({
      store: createStore(t.db),
      clock,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      admins: [],
      defaults: { timezone: "UTC", digestTime: "09:00" },
      emojiActions: emoji.value,
    });
  }
  const context = (platform: string, userRef: string): CommandContext => ({
    address: { platform, workspaceId: "T1", channelRef: "C1" },
    userRef,
    isAdmin: false,
  });

  it("answers the 11th command in a row only to its sender, with when to try again", async () => {
    const clock = manualClock();
    const paperboy = core(clock);
    for (let i = 0; i < 10; i++) {
      expect((await paperboy.command(context("slack", "U1"), "help")).title).toMatch(/^paperboy/);
    }
    const slowed = await paperboy.command(context("slack", "U1"), "help");
    expect(slowed).toMatchObject({
      visibility: "ephemeral",
      title: "You're sending commands quickly; try again in 3 s",
    });
    // Others are not slowed by one busy user.
    expect((await paperboy.command(context("slack", "U2"), "help")).title).toMatch(/^paperboy/);
    clock.advance(3_000);
    expect((await paperboy.command(context("slack", "U1"), "help")).title).toMatch(/^paperboy/);
  });

  it("counts mentions outside threads, which run as commands", async () => {
    const paperboy = core(manualClock());
    for (let i = 0; i < 5; i++) await paperboy.command(context("discord", "42"), "help");
    for (let i = 0; i < 5; i++) {
      const reply = await paperboy.mention({
        platform: "discord",
        channelRef: "C1",
        threadRef: null,
        userRef: "42",
        text: "<@1> help",
      });
      expect(reply?.title).toMatch(/^paperboy/);
    }
    const slowed = await paperboy.mention({
      platform: "discord",
      channelRef: "C1",
      threadRef: null,
      userRef: "42",
      text: "<@1> help",
    });
    expect(slowed?.title).toMatch(/^You're sending commands quickly/);
  });

  it("counts questions in a paper's thread, which may each cost a model call", async () => {
    const clock = manualClock();
    const paperboy = core(clock);
    const store = paperboy.deps.store;
    await store.papers.upsert(
      [
        makePaper({
          id: "2401.00001",
          title: "KV cache compression",
          abstract: "We compress the cache.",
          source: "test",
        }),
      ],
      clock.now(),
    );
    await postPaper(store, "C1", "2401.00001", "1700000000.000100");
    const question = () =>
      paperboy.mention({
        platform: "slack",
        channelRef: "C1",
        threadRef: "1700000000.000100",
        userRef: "U7",
        text: "<@UBOT> what do they compress?",
      });
    for (let i = 0; i < 10; i++) expect((await question())?.title).toMatch(/^From “KV cache compression”/);
    expect(await question()).toMatchObject({
      visibility: "ephemeral",
      title: "You're sending commands quickly; try again in 3 s",
    });
  });

  it("never slows the terminal, one person at their own keyboard", async () => {
    const paperboy = core(manualClock());
    for (let i = 0; i < 30; i++) {
      expect((await paperboy.command(context("terminal", "local"), "help")).title).toMatch(/^paperboy/);
    }
  });
});
