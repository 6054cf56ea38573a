import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fixtureJson } from "../emulators/slack/fixtures.js";
import { SlackEmulator } from "../emulators/slack.js";
import {
  type BotProcess,
  PROCESS_TIMEOUT_MS,
  SAMPLE_PAGE,
  SlackWorkspace,
  WIRE_TIMEOUT_MS,
} from "./slack-bot-harness.js";

// Bolt acks an event before paperboy answers it, so Slack's retries (X-Slack-Retry-Num over HTTP,
// retry_attempt in Socket Mode, the same event_id) reach a bot that may already have answered, or
// another replica behind the load balancer. The real bot answers each app_mention once.

const CHANNEL = "C111";
const SKIPPED = "event delivered again; already handled";

let emulator: SlackEmulator;
let workspace: SlackWorkspace;
const bots: BotProcess[] = [];

beforeAll(async () => {
  emulator = new SlackEmulator({
    users: [{ id: "U111", name: "seratch" }],
    channels: [{ id: CHANNEL, name: "random" }],
    timeoutMs: WIRE_TIMEOUT_MS,
  });
  await emulator.start();
  workspace = await SlackWorkspace.create(emulator);
  await workspace.ingest(SAMPLE_PAGE);
}, PROCESS_TIMEOUT_MS);

// A test that failed half-way leaves its bots running; the embedded database takes one at a time.
afterEach(async () => {
  for (const bot of bots.splice(0)) await bot.stop().catch(() => {});
}, PROCESS_TIMEOUT_MS);

afterAll(async () => {
  await emulator?.socketDisconnected().catch(() => {});
  await emulator?.stop();
  await workspace?.close();
}, PROCESS_TIMEOUT_MS);

let lastTs = 0;
/** A message ts as Slack writes it, unique in this file. */
function nextTs(): string {
  lastTs = Math.max(Date.now(), lastTs + 1);
  return (lastTs / 1000).toFixed(6);
}

/** The recorded app_mention (slack_app_mention.json), asking for a search in CHANNEL. */
function mention(ts: string): Record<string, unknown> {
  const recorded = fixtureJson<{ event: Record<string, unknown> }>("slack_app_mention.json").event;
  return {
    ...recorded,
    user: "U111",
    channel: CHANNEL,
    team: emulator.workspace.teamId,
    ts,
    event_ts: ts,
    text: `<@${emulator.workspace.botUserId}> kv cache compression`,
  };
}

/** The bot's answers to the mention posted at `ts` (in a thread under it). */
const answersTo = (ts: string) => emulator.posted(CHANNEL).filter((body) => body.thread_ts === ts);

/**
 * Waits until `bot` handled the redelivery of the mention at `ts`: it logged the skip, or it answered
 * again (the failure this file is about, which must not wait out a timeout to show).
 */
async function redeliveryHandled(bot: BotProcess, ts: string): Promise<void> {
  const since = emulator.calls.length;
  const skipped = bot.waitForLog(SKIPPED, WIRE_TIMEOUT_MS);
  const answered = emulator.waitFor("chat.postMessage", (c) => c.body.thread_ts === ts, undefined, since);
  // The other wait ends later, by timeout or the bot's stop.
  skipped.catch(() => {});
  answered.catch(() => {});
  await Promise.race([skipped, answered]);
}

const DEBUG = { LOG_LEVEL: "debug" };

describe(`Slack redelivers an app_mention (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, {
  timeout: PROCESS_TIMEOUT_MS,
}, () => {
  it("over HTTP, a retry with the same event_id is acked and not answered again, on any replica", async () => {
    const first = await workspace.startHttpBot(DEBUG);
    bots.push(first.bot);
    // The embedded database serves one process; on the server a second replica takes the retry.
    const second = workspace.kind === "postgres" ? await workspace.startHttpBot(DEBUG) : first;
    if (second !== first) bots.push(second.bot);

    const ts = nextTs();
    const delivered = await emulator.deliverEvent(first.url, mention(ts));
    expect(delivered.status, delivered.body).toBe(200);
    const answer = await emulator.waitFor("chat.postMessage", (c) => c.body.thread_ts === ts);
    expect(String(answer.body.text)).toContain("Papers on");

    const handled = redeliveryHandled(second.bot, ts);
    const retried = await emulator.deliverEvent(second.url, mention(ts), {
      eventId: delivered.eventId,
      retryNum: 1,
      retryReason: "http_timeout",
    });
    expect(retried.status, retried.body).toBe(200);
    await handled;
    expect(answersTo(ts)).toHaveLength(1);
    expect(second.bot.logs.find((l) => l.msg === SKIPPED)).toMatchObject({
      platform: "slack",
      eventId: delivered.eventId,
      use: "mention",
    });

    // A new event (another event_id) is a new question, answered by the replica it reaches.
    const again = nextTs();
    await emulator.deliverEvent(second.url, mention(again));
    await emulator.waitFor("chat.postMessage", (c) => c.body.thread_ts === again);
    expect(answersTo(again)).toHaveLength(1);
    expect(answersTo(ts)).toHaveLength(1);

    for (const bot of bots.splice(0)) {
      expect(bot.errors, bot.describe()).toEqual([]);
      expect(await bot.stop()).toEqual({ code: 0, signal: null });
    }
  });

  it("in Socket Mode, an envelope redelivered with retry_attempt 1 is answered once", async () => {
    const connections = emulator.callsTo("apps.connections.open").length;
    const bot = await workspace.startSocketBot(DEBUG);
    bots.push(bot);
    await emulator.socketConnected({ count: connections + 1 });

    // A whole event_callback body passes through the emulator as it is: both carry one event_id.
    const ts = nextTs();
    const body = { ...fixtureJson("slack_app_mention.json"), event: mention(ts), event_id: `Ev${ts}` };
    await emulator.socketDeliver("events_api", body);
    await emulator.waitFor("chat.postMessage", (c) => c.body.thread_ts === ts);
    const handled = redeliveryHandled(bot, ts);
    const ack = await emulator.socketDeliver("events_api", body, { retryAttempt: 1, retryReason: "timeout" });
    expect(ack.envelope_id).toBeTruthy();
    await handled;
    expect(answersTo(ts)).toHaveLength(1);
    expect(bot.logs.find((l) => l.msg === SKIPPED)).toMatchObject({ eventId: `Ev${ts}` });
    expect(bot.errors, bot.describe()).toEqual([]);
  });
});
