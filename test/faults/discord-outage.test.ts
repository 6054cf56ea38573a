import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, DiscordWorkspace, SAMPLE_PAGE } from "../discord/discord-bot-harness.js";
import { answerOf, embedsOf, farFromNow, textsOf } from "../discord/discord-checks.js";
import { DISCORD_DEFAULTS, DiscordEmulator } from "../emulators/discord.js";
import { ThrowawayPostgres, throwawayPostgresUnavailable } from "./throwaway-postgres.js";

// A question in a paper's thread while PostgreSQL is down: the reply can't be counted and the question
// can't be claimed, and the asker is told so (it used to go unanswered: the failed count ended it).

const skip = throwawayPostgresUnavailable();
const { channelId, member, moderator, bot: botUser } = DISCORD_DEFAULTS;

let pg: ThrowawayPostgres;
let emulator: DiscordEmulator;
let workspace: DiscordWorkspace;
let bot: BotProcess | undefined;

describe.skipIf(skip)(`Discord while PostgreSQL is down (${skip ?? "a throwaway cluster"})`, () => {
  beforeAll(async () => {
    pg = await ThrowawayPostgres.create();
    emulator = new DiscordEmulator();
    await emulator.start();
    workspace = await DiscordWorkspace.create(emulator, { env: { DATABASE_URL: pg.url } });
    const ingest = await workspace.discordCli(["ingest", "--file", SAMPLE_PAGE]);
    expect(ingest.code, ingest.stderr).toBe(0);
    bot = await workspace.startBot();
  }, 300_000);

  afterAll(async () => {
    await bot?.stop();
    await emulator?.stop();
    await workspace?.close();
    await pg?.destroy();
  }, 60_000);

  it("answers a question in a paper's thread with 'try again in a moment', then answers it once back", async () => {
    const subscribed = emulator.interaction(
      "papers",
      [{ type: 1, name: "subscribe", options: [{ type: 3, name: "at", value: farFromNow() }] }],
      { userId: moderator.id },
    );
    expect(embedsOf((await answerOf(emulator, subscribed)).body)[0]?.title).toMatch(/^Subscribed/);
    const digest = await workspace.discordCli(["digest", "--now", "--channel", channelId]);
    expect(digest.code, digest.stderr + digest.stdout).toBe(0);
    const thread = emulator.requests
      .find((r) => r.route === "POST /channels/:channelId/messages/:messageId/threads")
      ?.path.split("/")[4] as string;
    expect(thread).toBeDefined();

    const ask = async () => {
      const answer = await emulator.messageAndReply(
        { channelId: thread, userId: member.id, content: `<@${botUser.id}> what dataset did they use?` },
        30_000,
      );
      return textsOf((answer.body as { embeds?: unknown }).embeds).join("\n");
    };
    await pg.stop();
    expect(await ask()).toContain("The database is unavailable; try again in a moment.");
    await pg.start();
    // Answered from the paper: "From “<title>”", quoting it or saying it does not say.
    await expect.poll(() => ask(), { timeout: 30_000, interval: 1_000 }).toMatch(/From “/);
  });
});
