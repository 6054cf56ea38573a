import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.js";
import { type BotProcess, DiscordWorkspace, SAMPLE_PAGE } from "../discord/discord-bot-harness.js";
import { answerOf, channelPosts, createRequests, embedsOf } from "../discord/discord-checks.js";
import { DISCORD_DEFAULTS, DiscordEmulator, type GuildSpec } from "../emulators/discord.js";
import { middayZone } from "./scale-helpers.js";

// Discord scaled out the way discord.js's ShardingManager does it: two `paperboy start` processes,
// each told its own shard of two (SHARDS, SHARD_COUNT), on one PostgreSQL database. Each guild's
// events reach only the process holding its shard; both schedulers tick over both channels, and each
// channel's digest is posted once; reactions on each shard, across a reconnect, are counted once.

const { owner } = DISCORD_DEFAULTS;
const SHARDS = 2;
/** A guild id that Discord's formula (id >> 22) % 2 puts on `shard`. */
const guildOn = (shard: number) => ((2_000_000_000n + BigInt(shard)) << 22n).toString();
const GUILDS = [0, 1].map((shard) => ({
  shard,
  guildId: guildOn(shard),
  channelId: `140000000000000010${shard}`,
}));
/** Voters per paper, in digest order. The first two on each paper take their 👍 back. */
const VOTERS = [4, 6, 8, 10, 12];
const TAKEN_BACK = 2;
const voter = (shard: number, paper: number, j: number) =>
  `15${shard}${paper}${String(j).padStart(2, "0")}000000000000`;

const guild = ({ guildId, channelId }: (typeof GUILDS)[number]): GuildSpec => ({
  id: guildId,
  name: `Guild on shard ${channelId.slice(-1)}`,
  ownerId: owner.id,
  channels: [{ id: channelId, name: "papers" }],
  members: [{ user: owner }],
});

let emulator: DiscordEmulator;
let workspace: DiscordWorkspace;
let db: Database;
/** bots[k] was given shard k. */
const bots: BotProcess[] = [];
const figures: string[] = [];

async function voteRows(channelId: string): Promise<{ rows: number; active: number }> {
  const [row] = await db.rows<{ rows: number; active: number }>(sql`
    select count(*)::int as rows, (count(*) filter (where v.active))::int as active
    from votes v join posts p on p.id = v.post_id join channels c on c.id = p.channel_id
    where c.platform = 'discord' and c.channel_ref = ${channelId}`);
  return row ?? { rows: 0, active: 0 };
}

const postedDigest = (bot: BotProcess, channelId: string) =>
  bot.logs.some((l) => l.msg === "digest posted" && l.channel === channelId);

describe.skipIf(!process.env.TEST_DATABASE_URL)(
  "Discord shards in two processes on one PostgreSQL database (needs TEST_DATABASE_URL: the embedded database is one process's)",
  { timeout: 300_000 },
  () => {
    beforeAll(async () => {
      emulator = new DiscordEmulator({ shards: SHARDS, guilds: GUILDS.map(guild) });
      await emulator.start();
      workspace = await DiscordWorkspace.create(emulator);
      await workspace.ingest(SAMPLE_PAGE);
      db = await openDatabase({ databaseUrl: workspace.databaseUrl, poolSize: 2 });
    }, 300_000);

    afterAll(async () => {
      for (const bot of bots) await bot.stop().catch(() => {});
      await db?.close();
      await emulator?.stop();
      await workspace?.close();
      if (figures.length > 0) console.info(`discord shards:\n  ${figures.join("\n  ")}`);
    }, 120_000);

    it("each process opens only the shard it is given, ShardingManager-style", async () => {
      const started = performance.now();
      bots.push(
        ...(await Promise.all(
          GUILDS.map(({ shard }) =>
            workspace.startBot({
              SHARDS: JSON.stringify([shard]),
              SHARD_COUNT: String(SHARDS),
              PAPERBOY_RECAP_DAY: "off",
            }),
          ),
        )),
      );
      for (const bot of bots) await bot.waitForLog("paperboy is running");
      figures.push(`started 2 processes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const identifies = emulator.gatewayFrames
        .filter((f) => f.direction === "in" && f.op === 2)
        .map((f) => (f.d as { shard: number[] }).shard);
      expect(identifies.sort()).toEqual([
        [0, 2],
        [1, 2],
      ]);
      for (const bot of bots) {
        expect(bot.logs.find((l) => l.msg === "discord: connected")).toMatchObject({ guilds: 1, shards: 1 });
      }
    });

    it("a command in each guild is answered by the process holding that guild's shard", async () => {
      for (const { shard, channelId } of GUILDS) {
        const asked = emulator.interaction(
          "papers",
          [
            {
              type: 1,
              name: "subscribe",
              options: [
                { type: 3, name: "at", value: "18:00" },
                { type: 3, name: "tz", value: middayZone() },
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
        const subscribedBy = bots.map((bot) =>
          bot.logs.some((l) => l.msg === "channel subscribed" && l.channel === channelId),
        );
        expect(subscribedBy).toEqual(GUILDS.map((g) => g.shard === shard));
      }
      // Every day of the week, so the test runs on weekends too.
      await db.rows(sql`update channels set weekdays_only = false where platform = 'discord'`);
    });

    it("both channels' digests, due while both schedulers tick, are posted once each", async () => {
      await db.rows(sql`update channels set next_digest_at = now() where platform = 'discord'`);
      const started = performance.now();
      await vi.waitFor(
        async () => {
          const runs = await db.rows<{ status: string; papers_posted: number }>(sql`
            select r.status, r.papers_posted from digest_runs r join channels c on c.id = r.channel_id
            where c.platform = 'discord'`);
          expect(runs).toEqual([
            { status: "done", papers_posted: 5 },
            { status: "done", papers_posted: 5 },
          ]);
        },
        { timeout: 150_000, interval: 1_000 },
      );
      figures.push(`both digests done ${((performance.now() - started) / 1000).toFixed(0)} s after made due`);
      for (const { channelId } of GUILDS) {
        // Header + 5 papers, each with one briefing in its own thread.
        expect(createRequests(emulator, channelId).map((r) => r.status)).toEqual([
          200, 200, 200, 200, 200, 200,
        ]);
        const papers = channelPosts(emulator, channelId).slice(1);
        expect(papers).toHaveLength(5);
        for (const paper of papers) expect(emulator.messages(paper.id)).toHaveLength(1);
        await vi.waitFor(() => expect(bots.some((bot) => postedDigest(bot, channelId))).toBe(true));
        expect(bots.filter((bot) => postedDigest(bot, channelId))).toHaveLength(1);
        figures.push(
          `${channelId}'s digest posted by the process of shard ${bots.findIndex((b) => postedDigest(b, channelId))}`,
        );
      }
    });

    it("reactions reach the shard's own process, survive a reconnect, and count once", async () => {
      const started = performance.now();
      let sent = 0;
      const react = (
        kind: "add" | "remove",
        shard: number,
        channelId: string,
        messageId: string,
        userId: string,
      ) => {
        const input = { userId, channelId, messageId, emoji: { name: "👍" } };
        const dispatched = kind === "add" ? emulator.reactionAdd(input) : emulator.reactionRemove(input);
        expect(dispatched?.shard).toBe(shard);
        sent++;
      };
      const resumed = bots[1]?.logs.filter((l) => l.msg === "discord: shard resumed").length ?? 0;
      for (const { shard, channelId } of GUILDS) {
        const papers = channelPosts(emulator, channelId).slice(1);
        for (const [i, paper] of papers.entries()) {
          // Shard 1's connection drops half-way: what is sent meanwhile comes on RESUME.
          if (shard === 1 && i === 2) emulator.dropConnection({ shard: 1 });
          for (let j = 0; j < (VOTERS[i] ?? 0); j++)
            react("add", shard, channelId, paper.id, voter(shard, i, j));
          for (let j = 0; j < TAKEN_BACK; j++)
            react("remove", shard, channelId, paper.id, voter(shard, i, j));
        }
      }
      await bots[1]?.waitForLog(/discord: shard resumed/);
      expect(bots[1]?.logs.filter((l) => l.msg === "discord: shard resumed").length).toBeGreaterThan(resumed);
      const voters = VOTERS.reduce((a, b) => a + b, 0);
      for (const { channelId } of GUILDS) {
        await vi.waitFor(
          async () =>
            expect(await voteRows(channelId)).toEqual({ rows: voters, active: voters - 5 * TAKEN_BACK }),
          { timeout: 60_000, interval: 250 },
        );
      }
      figures.push(
        `${sent} reaction events over 2 shards (one reconnect) stored within ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    });

    it("`paperboy top --channel` reads the same net votes for each channel", async () => {
      for (const { channelId } of GUILDS) {
        const top = await workspace.cli(["top", "--channel", channelId, "--period", "all", "--json"]);
        expect(top.code, top.stderr).toBe(0);
        const rows = JSON.parse(top.stdout) as { id: string; votes: number }[];
        expect(rows.map((r) => r.votes)).toEqual(VOTERS.map((v) => v - TAKEN_BACK).reverse());
      }
    });

    it("both processes stop cleanly, with no errors logged", async () => {
      for (const bot of bots) {
        expect(await bot.stop()).toEqual({ code: 0, signal: null });
        expect(bot.errors, bot.describe()).toEqual([]);
      }
    });
  },
);
