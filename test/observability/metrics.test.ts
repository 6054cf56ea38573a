import { createServer, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { noMetrics } from "../../src/core/metrics.js";
import { createPaperboy } from "../../src/core/paperboy.js";
import { DEFAULT_EMOJI_ACTIONS } from "../../src/core/votes/emoji-actions.js";
import { openDatabase } from "../../src/db/client.js";
import { createStore } from "../../src/db/store.js";
import { PromMetrics } from "../../src/observability/metrics.js";
import { checkReadiness } from "../../src/observability/readiness.js";
import { timeStore } from "../../src/observability/time-store.js";
import { quietLogger } from "../digests/digest-harness.js";
import { describeEachDatabase, freshPglite } from "../helpers/test-databases.js";
import { sample } from "./prometheus-text.js";

const context = {
  address: { platform: "slack", workspaceId: "T1", channelRef: "C1" },
  userRef: "U1",
  isAdmin: false,
};

describe("the Prometheus metrics adapter", () => {
  it("writes each port call as the series operators query", async () => {
    const metrics = new PromMetrics();
    metrics.eventReceived("discord", "command");
    metrics.eventReceived("discord", "command");
    metrics.eventReceived("slack", "thread_reply");
    metrics.commandFinished("search", "ok", 0.2);
    metrics.commandFinished("search", "ok", 3);
    metrics.commandFinished("top", "invalid", 0.001);
    metrics.voteRecorded("recorded");
    metrics.votesDropped(3);
    metrics.votesDropped(0);
    metrics.digestRun("posted");
    metrics.sourceFetched("huggingface", "error");
    metrics.databaseUp(false);
    metrics.databaseQuery("papers.search", 0.004);
    metrics.databaseMaxConnections(10);
    const text = await metrics.text();
    const at = (series: string) => sample(text, series);
    expect(at('paperboy_events_received_total{platform="discord",kind="command"}')).toBe(2);
    expect(at('paperboy_events_received_total{platform="slack",kind="thread_reply"}')).toBe(1);
    expect(at('paperboy_command_duration_seconds_count{command="search",outcome="ok"}')).toBe(2);
    expect(at('paperboy_command_duration_seconds_sum{command="search",outcome="ok"}')).toBeCloseTo(3.2);
    expect(at('paperboy_command_duration_seconds_bucket{le="0.25",command="search",outcome="ok"}')).toBe(1);
    expect(at('paperboy_command_duration_seconds_count{command="top",outcome="invalid"}')).toBe(1);
    expect(at('paperboy_votes_total{outcome="recorded"}')).toBe(1);
    expect(at("paperboy_votes_dropped_total")).toBe(3);
    expect(at('paperboy_digest_runs_total{outcome="posted"}')).toBe(1);
    expect(at('paperboy_source_fetches_total{source="huggingface",outcome="error"}')).toBe(1);
    expect(at("paperboy_database_up")).toBe(0);
    expect(at('paperboy_database_query_seconds_count{operation="papers.search"}')).toBe(1);
    expect(at("paperboy_database_pool_max_connections")).toBe(10);
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it("adds the process's own metrics under paperboy_ only when asked, one registry per instance", async () => {
    const bot = new PromMetrics({ processMetrics: true });
    const second = new PromMetrics({ processMetrics: true });
    const oneShot = new PromMetrics();
    expect(sample(await bot.text(), "paperboy_process_cpu_user_seconds_total")).toBeGreaterThanOrEqual(0);
    expect(await second.text()).toMatch(/^paperboy_nodejs_eventloop_lag_seconds /m);
    expect(await oneShot.text()).not.toMatch(/process_cpu|nodejs_/);
    bot.votesDropped(1);
    expect(sample(await second.text(), "paperboy_votes_dropped_total")).toBe(0);
  });

  it("the no-op port takes every call", () => {
    expect(() => {
      noMetrics.eventReceived("slack", "mention");
      noMetrics.commandFinished("help", "ok", 0);
      noMetrics.votesDropped(1);
    }).not.toThrow();
  });
});

describeEachDatabase("the core's metrics", (t) => {
  it("counts each event once, times commands by outcome, and counts reactions by what became of them", async () => {
    const metrics = new PromMetrics();
    const store = createStore(t.db);
    const core = createPaperboy({
      store,
      clock: { now: () => new Date("2026-01-14T09:00:00Z") },
      logger: quietLogger,
      admins: [],
      defaults: { timezone: "UTC", digestTime: "09:00" },
      emojiActions: new Map(Object.entries(DEFAULT_EMOJI_ACTIONS)),
      metrics,
    });
    await core.command(context, "help");
    await core.command(context, "top banana");
    // Outside a paper's thread a mention is answered like the command: timed, counted as a mention.
    await core.mention({
      platform: "slack",
      channelRef: "C1",
      threadRef: null,
      userRef: "U1",
      text: "<@UBOT> help",
    });
    await core.reaction({
      platform: "slack",
      channelRef: "C1",
      messageRef: "no-such-post",
      userRef: "U1",
      emoji: "+1",
      added: true,
      eventAt: new Date(),
      fromBot: false,
    });
    await core.threadReply({ platform: "discord", channelRef: "C2", threadRef: "T9", fromBot: false });
    const text = await metrics.text();
    const at = (series: string) => sample(text, series);
    expect(at('paperboy_events_received_total{platform="slack",kind="command"}')).toBe(2);
    expect(at('paperboy_events_received_total{platform="slack",kind="mention"}')).toBe(1);
    expect(at('paperboy_events_received_total{platform="slack",kind="reaction"}')).toBe(1);
    expect(at('paperboy_events_received_total{platform="discord",kind="thread_reply"}')).toBe(1);
    expect(at('paperboy_command_duration_seconds_count{command="help",outcome="ok"}')).toBe(2);
    expect(at('paperboy_command_duration_seconds_count{command="top",outcome="invalid"}')).toBe(1);
    expect(at('paperboy_votes_total{outcome="not-a-paper-post"}')).toBe(1);
  });

  it("times every store call by operation, failed ones too", async () => {
    const metrics = new PromMetrics();
    const store = createStore(t.db);
    timeStore(store, (operation, seconds) => metrics.databaseQuery(operation, seconds));
    await store.channels.find("slack", "C1");
    await store.channels.find("slack", "C2");
    await expect(store.channels.subscribe(987_654, {} as never, null)).rejects.toThrow();
    const text = await metrics.text();
    expect(sample(text, 'paperboy_database_query_seconds_count{operation="channels.find"}')).toBe(2);
    expect(sample(text, 'paperboy_database_query_seconds_count{operation="channels.subscribe"}')).toBe(1);
  });

  it("reports the database ready while it answers select 1", async () => {
    const readiness = await checkReadiness(t.db, [{ name: "discord", connected: () => true }]);
    expect(readiness).toEqual({
      ready: true,
      database: "up",
      platforms: { discord: "connected" },
      problems: [],
    });
  });
});

describe("readiness when something is down", () => {
  it("says which platform is not connected", async () => {
    const db = await freshPglite();
    try {
      const readiness = await checkReadiness(db, [
        { name: "slack", connected: () => true },
        { name: "discord", connected: () => false },
      ]);
      expect(readiness).toMatchObject({
        ready: false,
        database: "up",
        platforms: { slack: "connected", discord: "not connected" },
        problems: ["discord: not connected"],
      });
    } finally {
      await db.close();
    }
  });

  it("reports a closed embedded database as down", async () => {
    const db = await freshPglite();
    await db.close();
    const readiness = await checkReadiness(db, []);
    expect(readiness.ready).toBe(false);
    expect(readiness.database).toBe("down");
    expect(readiness.problems[0]).toMatch(/^database: /);
  });

  it("reports a database server nobody answers for as down", async () => {
    // A port that accepts connections and never speaks: the driver waits, the check does not.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((done) => silent.listen(0, "127.0.0.1", done));
    const port = (silent.address() as { port: number }).port;
    const db = await openDatabase({ databaseUrl: `postgres://nobody@127.0.0.1:${port}/none`, poolSize: 1 });
    try {
      const readiness = await checkReadiness(db, [], 300);
      expect(readiness).toMatchObject({
        ready: false,
        database: "down",
        problems: ["database: no answer to select 1 within 300 ms"],
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
      await db.close().catch(() => {});
    }
  });
});
