import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator } from "../emulators/slack.js";
import {
  type BotProcess,
  PROCESS_TIMEOUT_MS,
  SAMPLE_PAGE,
  SlackWorkspace,
  WIRE_TIMEOUT_MS,
} from "../slack/slack-bot-harness.js";
import { get, sample } from "./prometheus-text.js";

// In Slack HTTP mode Bolt's receiver already listens on PORT: the health routes are served there,
// beside /slack/events, with no second server. The real bot process, against the Slack emulator.

let emulator: SlackEmulator;
let workspace: SlackWorkspace;
let bot: BotProcess;
let url: string;
let port: number;

beforeAll(async () => {
  emulator = new SlackEmulator({
    users: [{ id: "U111", name: "seratch" }],
    channels: [{ id: "C111", name: "random" }],
    timeoutMs: WIRE_TIMEOUT_MS,
  });
  await emulator.start();
  workspace = await SlackWorkspace.create(emulator);
  await workspace.ingest(SAMPLE_PAGE);
  ({ bot, url } = await workspace.startHttpBot());
  port = Number(new URL(url).port);
}, PROCESS_TIMEOUT_MS);

afterAll(async () => {
  await bot?.stop();
  await emulator?.stop();
  await workspace?.close();
}, PROCESS_TIMEOUT_MS);

describe(`health and metrics beside Slack's HTTP receiver (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, {
  timeout: PROCESS_TIMEOUT_MS,
}, () => {
  it("/healthz answers ok on the receiver's port, and no server of its own was started", async () => {
    expect(await get(port, "/healthz")).toEqual({
      status: 200,
      type: "text/plain; charset=utf-8",
      body: "ok\n",
    });
    expect(bot.logs.find((l) => l.msg.startsWith("health server"))).toBeUndefined();
  });

  it("/readyz is 200 with the database up and Slack connected", async () => {
    const ready = await get(port, "/readyz");
    expect(ready.status, ready.body).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({
      ready: true,
      database: "up",
      platforms: { slack: "connected" },
      problems: [],
    });
  });

  it("/metrics counts /papers compression: the event and its timing by command and outcome", async () => {
    const delivered = await emulator.deliverCommand(url, { text: "compression", channel_id: "C111" });
    expect(delivered.status, delivered.body).toBe(200);
    const answer = await emulator.waitForResponse(
      (r) => emulator.responseUrl(r.id) === delivered.responseUrl,
    );
    expect(JSON.stringify(answer.body)).toContain('Papers on \\"compression\\"');
    const metrics = await get(port, "/metrics");
    expect(metrics.status).toBe(200);
    const at = (series: string) => sample(metrics.body, series);
    expect(at('paperboy_command_duration_seconds_count{command="search",outcome="ok"}'), metrics.body).toBe(
      1,
    );
    expect(at('paperboy_events_received_total{platform="slack",kind="command"}')).toBe(1);
    expect(metrics.body).toMatch(/^paperboy_nodejs_eventloop_lag_seconds /m);
  });
});
