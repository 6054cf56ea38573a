import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator } from "../emulators/slack.js";
import type { Block } from "./block-checks.js";
import {
  type BotProcess,
  PROCESS_TIMEOUT_MS,
  SAMPLE_PAGE,
  SlackWorkspace,
  WIRE_TIMEOUT_MS,
} from "./slack-bot-harness.js";

// What `paperboy digest --now` does when Slack says "slow down" (429) or "I'm not in that channel".

const RATE_LIMITED = "C0LIMITED";
const NOT_IN = "C0NOTIN";

let emulator: SlackEmulator;
let workspace: SlackWorkspace;
let bot: BotProcess | undefined;

beforeAll(async () => {
  emulator = new SlackEmulator({
    users: [{ id: "U0ADMIN", name: "ada", is_admin: true }],
    channels: [
      { id: RATE_LIMITED, name: "busy" },
      { id: NOT_IN, name: "private-lab" },
    ],
    timeoutMs: WIRE_TIMEOUT_MS,
  });
  await emulator.start();
  workspace = await SlackWorkspace.create(emulator);
  await workspace.ingest(SAMPLE_PAGE);
  // Both channels subscribed by an admin through the running bot, then the bot stops.
  const started = await workspace.startHttpBot();
  bot = started.bot;
  for (const channel of [RATE_LIMITED, NOT_IN]) {
    const delivered = await emulator.deliverCommand(started.url, {
      text: "subscribe at 08:00 tz UTC count 3",
      channel_id: channel,
      user_id: "U0ADMIN",
      user_name: "ada",
    });
    expect(delivered.status).toBe(200);
    const answer = await emulator.waitForResponse(
      (r) => emulator.responseUrl(r.id) === delivered.responseUrl,
    );
    expect(answer.body.response_type).toBe("in_channel");
  }
  expect(await bot.stop()).toEqual({ code: 0, signal: null });
}, PROCESS_TIMEOUT_MS);

afterAll(async () => {
  await bot?.stop();
  await emulator?.stop();
  await workspace?.close();
}, PROCESS_TIMEOUT_MS);

/** Messages posted in the channel itself (the header and papers), not in the papers' threads. */
const postCalls = (channel: string) =>
  emulator
    .callsTo("chat.postMessage")
    .filter((call) => call.body.channel === channel && call.body.thread_ts === undefined);

describe(`digest failures on Slack (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, {
  timeout: PROCESS_TIMEOUT_MS,
}, () => {
  it("waits out a 429 and posts the rate-limited message once", async () => {
    emulator.rateLimitNext("chat.postMessage", 1);
    const run = await workspace.slackCli(["digest", "--now", "--channel", RATE_LIMITED]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^slack ${RATE_LIMITED} \\S+: posted 3 papers: `, "m"));
    const calls = postCalls(RATE_LIMITED);
    // The header was refused once with 429, then sent again: four messages went out, each once.
    expect(calls.map((c) => c.status)).toEqual([429, 200, 200, 200, 200]);
    expect(calls[0]?.response).toEqual({ ok: false, error: "ratelimited" });
    const sent = calls.filter((c) => c.status === 200);
    expect(sent[0]?.body.blocks).toEqual(calls[0]?.body.blocks);
    expect((sent[0]?.body.blocks as Block[] | undefined)?.[0]?.type).toBe("header");
    const texts = sent.map((c) => String(c.body.text));
    expect(new Set(texts).size).toBe(4);
    // Each paper's briefing went into its own thread, once.
    const briefed = emulator
      .callsTo("chat.postMessage")
      .filter((c) => c.body.channel === RATE_LIMITED && c.body.thread_ts !== undefined && c.status === 200)
      .map((c) => c.body.thread_ts);
    expect(briefed.sort()).toEqual(
      sent
        .slice(1)
        .map((c) => String(c.response.ts))
        .sort(),
    );
    const status = await workspace.cli(["digest", "--status", "--channel", RATE_LIMITED]);
    expect(status.stdout).toMatch(new RegExp(`slack:${RATE_LIMITED}  done  3 papers  attempt 1`));
  });

  it("fails with advice to invite the bot when it is not in the channel, and --status shows it", async () => {
    emulator.failNext("chat.postMessage", "not_in_channel");
    const run = await workspace.slackCli(["digest", "--now", "--channel", NOT_IN]);
    expect(run.code).toBe(1);
    const said = run.stdout + run.stderr;
    expect(said).toContain("not_in_channel");
    expect(said).toContain("/invite @paperboy");
    expect(postCalls(NOT_IN).map((c) => c.response)).toEqual([{ ok: false, error: "not_in_channel" }]);

    const status = await workspace.cli(["digest", "--status", "--channel", NOT_IN]);
    expect(status.code).toBe(0);
    const line = status.stdout.split("\n").find((l) => l.includes(`slack:${NOT_IN}`)) ?? "";
    expect(line).toMatch(/ failed /);
    expect(line).toContain("not_in_channel");
    expect(line).toContain("invite the bot");
  });
});
