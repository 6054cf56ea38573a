import { PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISCORD_DEFAULTS, DiscordEmulator } from "../emulators/discord.js";
import { type BotProcess, DiscordWorkspace, SAMPLE_PAGE } from "./discord-bot-harness.js";
import { answerOf, channelPosts, createRequests, embedsOf, farFromNow, guildWith } from "./discord-checks.js";

// Digests when Discord pushes back: a 429 on a message create is waited out and the post goes out
// once; a channel where the bot may not send (403, 50013) fails the digest with a clear message,
// and the bot keeps running.

const { moderator, member } = DISCORD_DEFAULTS;
const RATE_LIMITED = "1011977515109187801";
const READ_ONLY = "1011977515109187802";
const LOST_ANSWER = "1011977515109187803";

let emulator: DiscordEmulator;
let workspace: DiscordWorkspace;
const bots: BotProcess[] = [];

beforeAll(async () => {
  emulator = new DiscordEmulator({
    guilds: [
      guildWith({
        channels: [
          { id: RATE_LIMITED, name: "rate-limited" },
          { id: LOST_ANSWER, name: "flaky-gateway" },
          {
            id: READ_ONLY,
            name: "announcements-only",
            // The bot may read here, but not post.
            permissionOverwrites: [
              { id: DISCORD_DEFAULTS.bot.id, type: "member", deny: PermissionFlagsBits.SendMessages },
            ],
          },
        ],
      }),
    ],
  });
  await emulator.start();
  workspace = await DiscordWorkspace.create(emulator);
  await workspace.ingest(SAMPLE_PAGE);
}, 300_000);

afterAll(async () => {
  for (const bot of bots) await bot.stop();
  await emulator?.stop();
  await workspace?.close();
}, 60_000);

async function withBot(steps: (bot: BotProcess) => Promise<void>): Promise<void> {
  const bot = await workspace.startBot();
  bots.push(bot);
  try {
    await steps(bot);
  } finally {
    expect(await bot.stop()).toEqual({ code: 0, signal: null });
  }
}

function subscribe(channelId: string) {
  return emulator.interaction(
    "papers",
    [
      {
        type: 1,
        name: "subscribe",
        options: [
          { type: 3, name: "at", value: farFromNow() },
          { type: 3, name: "tz", value: "UTC" },
        ],
      },
    ],
    { userId: moderator.id, channelId },
  );
}

describe(`Discord digests under rate limits and missing permissions (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("a moderator subscribes each channel (answers go through the interaction, not the channel)", async () => {
    await withBot(async () => {
      for (const channelId of [RATE_LIMITED, READ_ONLY, LOST_ANSWER]) {
        const { body } = await answerOf(emulator, subscribe(channelId));
        expect(embedsOf(body)[0]?.title).toBe("Subscribed: this channel gets a daily paper digest");
      }
    });
  });

  it("waits out a 429 on a message create and posts every message exactly once", async () => {
    emulator.rateLimitNext("POST /channels/:channelId/messages", 0.5);
    const run = await workspace.discordCli(["digest", "--now", "--channel", RATE_LIMITED]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^discord ${RATE_LIMITED} \\S+: posted 5 papers: `, "m"));
    const attempts = createRequests(emulator, RATE_LIMITED).map((r) => r.status);
    expect(attempts).toEqual([429, 200, 200, 200, 200, 200, 200]);
    const posts = channelPosts(emulator, RATE_LIMITED);
    expect(posts).toHaveLength(6);
    const titles = posts.slice(1).map((p) => p.embeds[0]?.title);
    expect(new Set(titles).size).toBe(5);
  });

  it("posts a paper once when Discord made it but its answer was lost (a 502 the REST client retries)", async () => {
    emulator.failAfterNext(`POST /channels/${LOST_ANSWER}/messages`, 502, {
      message: "502: Bad Gateway",
      code: 0,
    });
    const run = await workspace.discordCli(["digest", "--now", "--channel", LOST_ANSWER]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const creates = createRequests(emulator, LOST_ANSWER);
    expect(creates.map((r) => r.status)).toEqual([502, 200, 200, 200, 200, 200, 200]);
    // The retry carried the same nonce, and Discord answered with the message it had made.
    const [lost, retry] = creates.map((r) => r.body as { nonce?: string; enforce_nonce?: boolean });
    expect(retry?.nonce).toBe(lost?.nonce);
    expect(retry?.enforce_nonce).toBe(true);
    const posts = channelPosts(emulator, LOST_ANSWER);
    expect(posts).toHaveLength(6);
    expect(new Set(posts.slice(1).map((p) => p.embeds[0]?.title)).size).toBe(5);
  });

  it("fails a digest where the bot lacks Send Messages: exit 1, the permission named, nothing posted", async () => {
    const run = await workspace.discordCli(["digest", "--now", "--channel", READ_ONLY]);
    expect(run.code, run.stderr + run.stdout).toBe(1);
    const said = run.stdout + run.stderr;
    expect(said).toMatch(new RegExp(`^discord ${READ_ONLY} \\S+: failed: .*50013`, "m"));
    expect(said).toContain("Send Messages");
    expect(createRequests(emulator, READ_ONLY).map((r) => r.status)).toEqual([403]);
    expect(channelPosts(emulator, READ_ONLY)).toEqual([]);

    const status = await workspace.cli(["digest", "--status", "--channel", READ_ONLY]);
    expect(status.stdout).toMatch(new RegExp(`discord:${READ_ONLY}\\s+failed\\s+0 papers`));
  });

  it("the bot starts and answers in that channel all the same, and stops cleanly", async () => {
    await withBot(async (bot) => {
      const { body } = await answerOf(
        emulator,
        emulator.interaction("papers", [{ type: 1, name: "settings" }], {
          userId: member.id,
          channelId: READ_ONLY,
        }),
      );
      expect(embedsOf(body)[0]?.description).toContain("Monday to Friday");
      expect(bot.running).toBe(true);
      expect(bot.errors, bot.describe()).toEqual([]);
    });
  });
});
