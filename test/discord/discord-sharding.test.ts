import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISCORD_DEFAULTS, DiscordEmulator, type GuildSpec } from "../emulators/discord.js";
import { type BotProcess, DiscordWorkspace, SAMPLE_PAGE } from "./discord-bot-harness.js";
import { answerOf, channelPosts, createRequests, embedsOf, farFromNow } from "./discord-checks.js";

// Discord asks a bot to shard (GET /gateway/bot says how many): the bot opens every shard in one
// process, answers in guilds on each, and however many processes post a digest, the database lets
// exactly one of them do it.

const { owner, member } = DISCORD_DEFAULTS;
/** A guild id that Discord's formula (id >> 22) % 2 puts on `shard`. */
const guildOn = (shard: bigint) => ((1_000_000_000n + shard) << 22n).toString();
const GUILDS = [
  { guildId: guildOn(0n), channelId: "1300000000000000100" },
  { guildId: guildOn(1n), channelId: "1300000000000000101" },
];

const guild = (guildId: string, channelId: string): GuildSpec => ({
  id: guildId,
  name: `Shard guild ${channelId.slice(-1)}`,
  ownerId: owner.id,
  channels: [{ id: channelId, name: "papers" }],
  members: [{ user: owner }, { user: member }],
});

let emulator: DiscordEmulator;
let workspace: DiscordWorkspace;
const bots: BotProcess[] = [];

beforeAll(async () => {
  emulator = new DiscordEmulator({ shards: 2, guilds: GUILDS.map((g) => guild(g.guildId, g.channelId)) });
  await emulator.start();
  workspace = await DiscordWorkspace.create(emulator);
  await workspace.ingest(SAMPLE_PAGE);
}, 300_000);

afterAll(async () => {
  for (const bot of bots) await bot.stop();
  await emulator?.stop();
  await workspace?.close();
}, 60_000);

describe(`paperboy under Discord sharding (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("opens the shards Discord recommends and answers in a guild on each", async () => {
    const bot = await workspace.startBot();
    bots.push(bot);
    try {
      const identifies = emulator.gatewayFrames
        .filter((f) => f.direction === "in" && f.op === 2)
        .map((f) => (f.d as { shard: number[] }).shard);
      expect(identifies.sort()).toEqual([
        [0, 2],
        [1, 2],
      ]);
      expect(bot.logs.find((l) => l.msg === "discord: connected")).toMatchObject({ guilds: 2 });
      for (const [shard, { channelId }] of GUILDS.entries()) {
        const asked = emulator.interaction(
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
          { userId: owner.id, channelId },
        );
        const sentOn = emulator.gatewayFrames.find(
          (f) => f.t === "INTERACTION_CREATE" && (f.d as { id?: string }).id === asked.id,
        );
        expect(sentOn?.shard).toBe(shard);
        const { body } = await answerOf(emulator, asked);
        expect(embedsOf(body)[0]?.title).toBe("Subscribed: this channel gets a daily paper digest");
      }
    } finally {
      expect(await bot.stop()).toEqual({ code: 0, signal: null });
    }
    expect(bot.errors, bot.describe()).toEqual([]);
  });

  it("two processes posting the same digest at once: one digest in the channel", async () => {
    const { channelId } = GUILDS[1] as { channelId: string };
    const runs = await Promise.all([
      workspace.discordCli(["digest", "--now", "--channel", channelId]),
      workspace.discordCli(["digest", "--now", "--channel", channelId]),
    ]);
    const said = runs.map((r) => r.stdout + r.stderr).join("\n---\n");
    const posted = runs.filter((r) => / posted 5 papers: /.test(r.stdout));
    expect(posted, said).toHaveLength(1);
    const other = runs.find((r) => !/ posted 5 papers: /.test(r.stdout));
    if (workspace.kind === "postgres") {
      // Both ran; the database's claim let one post and told the other it was taken or done.
      for (const run of runs) expect(run.code, said).toBe(0);
      expect(other?.stdout).toMatch(new RegExp(`^discord ${channelId} \\S+: (busy|already-done): `, "m"));
    } else if (other?.code !== 0) {
      // The embedded database is one process's at a time: the other was turned away before posting...
      expect(other?.code, said).toBe(1);
      expect(other?.stderr).toContain("is in use by another paperboy process");
    } else {
      // ...or came after the first had finished, and found the digest done.
      expect(other.stdout).toMatch(new RegExp(`^discord ${channelId} \\S+: already-done: `, "m"));
    }
    expect(createRequests(emulator, channelId).map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(channelPosts(emulator, channelId)).toHaveLength(6);
    // The other guild's channel was not touched.
    expect(channelPosts(emulator, (GUILDS[0] as { channelId: string }).channelId)).toEqual([]);
  });
});
