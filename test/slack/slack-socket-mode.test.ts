import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SlackEmulator } from "../emulators/slack.js";
import { type Block, cardTitles, expectWithinLimits } from "./block-checks.js";
import {
  type BotProcess,
  PROCESS_TIMEOUT_MS,
  SAMPLE_PAGE,
  SlackWorkspace,
  WIRE_TIMEOUT_MS,
} from "./slack-bot-harness.js";

// The bot in Socket Mode (SLACK_APP_TOKEN set): no signing secret, no port, everything over the
// WebSocket the emulator hands out through apps.connections.open.

const CHANNEL = "C111";

let emulator: SlackEmulator;
let workspace: SlackWorkspace;
let bot: BotProcess | undefined;

beforeAll(async () => {
  emulator = new SlackEmulator({
    users: [
      { id: "U111", name: "seratch" },
      { id: "U0ADMIN", name: "ada", is_admin: true },
    ],
    channels: [{ id: CHANNEL, name: "random" }],
    timeoutMs: WIRE_TIMEOUT_MS,
  });
  await emulator.start();
  workspace = await SlackWorkspace.create(emulator);
  await workspace.ingest(SAMPLE_PAGE);
}, PROCESS_TIMEOUT_MS);

afterAll(async () => {
  // The bot first, then its socket must be gone, then the emulator (a live client would reconnect).
  await bot?.stop();
  await emulator?.socketDisconnected();
  await emulator?.stop();
  await workspace?.close();
}, PROCESS_TIMEOUT_MS);

async function startSocketBot(): Promise<BotProcess> {
  const connections = emulator.callsTo("apps.connections.open").length;
  bot = await workspace.startSocketBot();
  await emulator.socketConnected({ count: connections + 1 });
  return bot;
}

async function stopSocketBot(): Promise<void> {
  expect(await bot?.stop()).toEqual({ code: 0, signal: null });
  await emulator.socketDisconnected();
}

/** A `/papers <text>` envelope: its ack, then the answer on its response_url. */
async function papers(text: string, user = { user_id: "U111", user_name: "seratch" }) {
  const since = emulator.responses.length;
  const ack = await emulator.socketDeliver("slash_commands", { text, channel_id: CHANNEL, ...user });
  const answer = await emulator.waitForResponse(undefined, undefined, since);
  return { ack, answer, blocks: (answer.body.blocks ?? []) as Block[] };
}

describe(`the bot in Socket Mode (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, {
  timeout: PROCESS_TIMEOUT_MS,
}, () => {
  it("connects with the app token and answers /papers compression through the response_url", async () => {
    await startSocketBot();
    const open = await emulator.waitFor("apps.connections.open");
    expect(open.headers.authorization).toBe(`Bearer ${emulator.appToken}`);
    expect(bot?.logs.find((l) => l.msg === "slack: connected")?.mode).toBe("socket");

    const { ack, answer, blocks } = await papers("compression");
    expect(ack.envelope_id).toBeTruthy();
    expect(answer.body.response_type).toBe("ephemeral");
    expectWithinLimits(blocks);
    const titles = cardTitles(blocks);
    expect(titles).toHaveLength(5);
    for (const title of titles) expect(title).toMatch(/compress/i);
    expect(blocks.at(-1)?.elements?.[0]?.text?.text).toBe("Share in channel");
  });

  it("records a reaction_added envelope on a digest post as a vote", async () => {
    const subscribed = await papers("subscribe at 09:00 tz Europe/Berlin", {
      user_id: "U0ADMIN",
      user_name: "ada",
    });
    expect(subscribed.answer.body.response_type).toBe("in_channel");
    await stopSocketBot();

    const run = await workspace.slackCli(["digest", "--now", "--channel", CHANNEL], {
      SLACK_APP_TOKEN: emulator.appToken,
      SLACK_SIGNING_SECRET: "",
    });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const paperPosts = emulator
      .callsTo("chat.postMessage")
      // Top-level posts: the header, then the papers (briefings go in their threads).
      .filter((c) => c.response.ok === true && c.body.channel === CHANNEL && !c.body.thread_ts)
      .slice(1);
    expect(paperPosts).toHaveLength(5);
    const first = paperPosts[0];
    const title = cardTitles(first?.body.blocks as Block[])[0];

    await startSocketBot();
    const ack = await emulator.socketDeliver("events_api", {
      type: "reaction_added",
      user: "U111",
      reaction: "+1",
      item: { type: "message", channel: CHANNEL, ts: String(first?.response.ts) },
      item_user: emulator.workspace.botUserId,
    });
    expect(ack.payload ?? {}).toEqual({});
    // The ack goes out before the listener stored the vote: ask until it shows.
    await vi.waitFor(
      async () => {
        const top = await papers("top week");
        expect(cardTitles(top.blocks)).toEqual([title]);
        expect(JSON.stringify(top.blocks)).toContain("+1 in this channel");
      },
      { timeout: WIRE_TIMEOUT_MS, interval: 200 },
    );
    await stopSocketBot();

    const fromDb = await workspace.cli(["top", "--channel", CHANNEL, "--json"]);
    expect(
      (JSON.parse(fromDb.stdout) as { title: string; votes: number }[]).map((r) => [r.title, r.votes]),
    ).toEqual([[title, 1]]);
  });
});
