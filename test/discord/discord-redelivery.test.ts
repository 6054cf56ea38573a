import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISCORD_DEFAULTS, DiscordEmulator } from "../emulators/discord.js";
import { type BotProcess, DiscordWorkspace, SAMPLE_PAGE } from "./discord-bot-harness.js";

// Discord may send a MESSAGE_CREATE again once the bot is back on a new session. discord.js drops a
// message it still has in its cache, but a restarted process (or another one) has none: the real bot
// answers a mention once because the message id, a unique snowflake, is claimed in the database.

const { channelId, member, bot: botUser } = DISCORD_DEFAULTS;
const SKIPPED = "event delivered again; already handled";

let emulator: DiscordEmulator;
let workspace: DiscordWorkspace;
let bot: BotProcess | undefined;

beforeAll(async () => {
  emulator = new DiscordEmulator();
  await emulator.start();
  workspace = await DiscordWorkspace.create(emulator);
  await workspace.ingest(SAMPLE_PAGE);
  bot = await workspace.startBot({ LOG_LEVEL: "debug" });
}, 300_000);

afterAll(async () => {
  await bot?.stop();
  await emulator?.stop();
  await workspace?.close();
}, 60_000);

/** The bot's replies to one message. */
const repliesTo = (messageId: string) =>
  emulator.messages(channelId).filter((m) => m.message_reference?.message_id === messageId);

describe(`Discord sends a message again (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("answers a mention once when its MESSAGE_CREATE comes again to a restarted bot", async () => {
    await emulator.identified();
    const message = emulator.messageCreate({
      channelId,
      userId: member.id,
      content: `<@${botUser.id}> kv cache compression`,
    });
    const id = String(message.id);
    await expect.poll(() => repliesTo(id).length, { timeout: 30_000 }).toBe(1);
    expect(repliesTo(id)[0]?.embeds[0]?.title).toMatch(/^Papers on/);

    expect(await bot?.stop()).toEqual({ code: 0, signal: null });
    // A new process: a new session and an empty message cache.
    bot = await workspace.startBot({ LOG_LEVEL: "debug" });
    await emulator.identified();
    expect(emulator.dispatch("MESSAGE_CREATE", message)).toBeDefined();

    // Either the skip is logged or a second answer appears: whichever comes first ends the wait.
    await expect
      .poll(() => repliesTo(id).length > 1 || bot?.logs.some((l) => l.msg === SKIPPED), { timeout: 30_000 })
      .toBe(true);
    expect(repliesTo(id)).toHaveLength(1);
    expect(bot?.logs.find((l) => l.msg === SKIPPED)).toMatchObject({
      platform: "discord",
      eventId: id,
      use: "mention",
    });

    // A new message with the same words is a new question.
    const next = emulator.messageCreate({
      channelId,
      userId: member.id,
      content: `<@${botUser.id}> kv cache compression`,
    });
    await expect.poll(() => repliesTo(String(next.id)).length, { timeout: 30_000 }).toBe(1);
    expect(repliesTo(id)).toHaveLength(1);
    expect(bot?.errors, bot?.describe()).toEqual([]);
  });
});
