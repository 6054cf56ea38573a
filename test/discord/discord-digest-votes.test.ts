import type { APIMessage } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISCORD_DEFAULTS, DiscordEmulator } from "../emulators/discord.js";
import { type BotProcess, DiscordWorkspace, SAMPLE_PAGE } from "./discord-bot-harness.js";
import {
  activeSyntax,
  answerOf,
  channelPosts,
  createRequests,
  embedsOf,
  expectWithinLimits,
  farFromNow,
  guildWith,
  textsOf,
  unescapeMarkdown,
} from "./discord-checks.js";
import { HOSTILE_PAPER } from "./hostile-paper.js";

// One channel's life, in order: a moderator subscribes it, `paperboy digest --now` posts, the bot
// restarts (so no posted message is in its cache), people react, and the votes show in
// /papers top and `paperboy top`. Each step is a test; each needs the one before.

const { channelId, member, moderator, owner } = DISCORD_DEFAULTS;
const OTHER_BOT = { id: "1100000000000000001", username: "another-bot", bot: true };
/** A custom emoji mapped to an up-vote through PAPERBOY_VOTE_EMOJI; any other custom emoji is no vote. */
const MAPPED_EMOJI_ID = "1200000000000000999";

let emulator: DiscordEmulator;
let workspace: DiscordWorkspace;
const bots: BotProcess[] = [];

beforeAll(async () => {
  emulator = new DiscordEmulator({ guilds: [guildWith({ members: [{ user: OTHER_BOT }] })] });
  await emulator.start();
  workspace = await DiscordWorkspace.create(emulator, {
    env: { PAPERBOY_VOTE_EMOJI: `custom:${MAPPED_EMOJI_ID}=up` },
  });
  await workspace.ingest(SAMPLE_PAGE);
  await workspace.ingest(workspace.writePapers("hostile.jsonl", [HOSTILE_PAPER]));
}, 300_000);

afterAll(async () => {
  for (const bot of bots) await bot.stop();
  await emulator?.stop();
  await workspace?.close();
}, 60_000);

/** Runs `steps` against a freshly started bot, and stops it (cleanly, on SIGTERM) whatever happens. */
async function withBot(steps: (bot: BotProcess) => Promise<void>): Promise<void> {
  const bot = await workspace.startBot();
  bots.push(bot);
  try {
    await steps(bot);
  } finally {
    expect(await bot.stop()).toEqual({ code: 0, signal: null });
  }
  expect(bot.errors, bot.describe()).toEqual([]);
}

/** "discord <channel> <date>: posted N papers: id, id" from `paperboy digest --now`. */
function postedIds(stdout: string): string[] {
  const line = new RegExp(`^discord ${channelId} \\d{4}-\\d{2}-\\d{2}: posted \\d+ papers: (.*)$`, "m").exec(
    stdout,
  );
  return line?.[1]?.split(", ") ?? [];
}

let header: APIMessage | undefined;
let paperPosts: { id: string; messageId: string; title: string }[] = [];

describe(`digests and votes in a Discord channel (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("a Moderators member subscribes the channel through /papers subscribe", async () => {
    await withBot(async () => {
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
        { userId: moderator.id },
      );
      const { body } = await answerOf(emulator, asked);
      expect(embedsOf(body)[0]?.title).toBe("Subscribed: this channel gets a daily paper digest");
    });
  });

  it("`digest --now` posts a header, then one embed message per paper", async () => {
    const run = await workspace.discordCli(["digest", "--now", "--channel", channelId]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const ids = postedIds(run.stdout);
    expect(ids, run.stdout).toHaveLength(5);

    const posts = channelPosts(emulator, channelId);
    expect(posts).toHaveLength(6);
    const [first, ...papers] = posts;
    header = first;
    expect(header?.content).toMatch(/^📰 \*\*Today's papers · \d{4}-\d{2}-\d{2}\*\* · 5 new papers\n/);
    expect(header?.embeds).toEqual([]);
    for (const post of papers) expect(post.embeds).toHaveLength(1);
    paperPosts = papers.map((p, i) => ({
      id: ids[i] as string,
      messageId: p.id,
      title: p.embeds[0]?.title ?? "",
    }));
    // The hostile paper has the most upvotes, so it leads.
    expect(unescapeMarkdown(paperPosts[0]?.title ?? "")).toBe(HOSTILE_PAPER.title);

    // On the wire: the bot's token, nobody pinged, within Discord's limits.
    const requests = createRequests(emulator, channelId);
    expect(requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    for (const request of requests) {
      expect(request.headers.authorization).toBe(`Bot ${emulator.token}`);
      expect((request.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [] });
      expectWithinLimits(request.body);
    }
  });

  it("each paper's briefing starts that paper's thread, once, inert like the post", () => {
    expect(paperPosts).toHaveLength(5);
    for (const post of paperPosts) {
      // A thread started from a message takes the message's id.
      const briefings = emulator.messages(post.messageId);
      expect(briefings, post.title).toHaveLength(1);
      expect(briefings[0]?.embeds[0]?.title).toBe("In short");
      expect(briefings[0]?.embeds[0]?.description).toContain("**What:**");
    }
    const threads = emulator.requests.filter(
      (r) => r.route === "POST /channels/:channelId/messages/:messageId/threads",
    );
    expect(threads.map((r) => r.path.split("/")[4])).toEqual(paperPosts.map((p) => p.messageId));
    const hostile = emulator.messages(paperPosts[0]?.messageId)[0];
    expect(activeSyntax(textsOf(hostile?.embeds))).toEqual([]);
  });

  it("posts the hostile paper with every mention and masked link made inert", () => {
    const request = createRequests(emulator, channelId)[1];
    const body = request?.body as { embeds?: unknown[] };
    expect(activeSyntax(textsOf(body.embeds))).toEqual([]);
    const [embed] = embedsOf(body);
    expect(embed?.url).toBeUndefined();
    expect(unescapeMarkdown(embed?.description ?? "")).toContain("Mallory @everyone, Eve <@123>");
    expect(JSON.stringify(body)).not.toContain("javascript:");
  });

  it("a second `digest --now` the same day posts nothing", async () => {
    const before = createRequests(emulator, channelId).length;
    const again = await workspace.discordCli(["digest", "--now", "--channel", channelId]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      new RegExp(`^discord ${channelId} \\d{4}-\\d{2}-\\d{2}: already-done: `, "m"),
    );
    expect(createRequests(emulator, channelId)).toHaveLength(before);
  });

  it("reactions on posts the restarted bot never saw become votes; /papers top shows them", async () => {
    expect(paperPosts).toHaveLength(5);
    const [, p1, p2, p3, p4] = paperPosts.map((p) => p.messageId) as [string, string, string, string, string];
    await withBot(async () => {
      const react = (
        kind: "add" | "remove",
        userId: string,
        messageId: string,
        emoji: { name: string; id?: string | null },
      ) => {
        const input = { userId, channelId, messageId, emoji };
        const sent = kind === "add" ? emulator.reactionAdd(input) : emulator.reactionRemove(input);
        expect(sent, `the bot gets ${kind} reactions`).toBeDefined();
      };
      // p1: 👍 from two people: +2. Another bot's 👍 and the bot's own are no votes.
      react("add", member.id, p1, { name: "👍" });
      react("add", owner.id, p1, { name: "👍" });
      react("add", OTHER_BOT.id, p1, { name: "👍" });
      react("add", DISCORD_DEFAULTS.bot.id, p1, { name: "👍" });
      // p2: an unmapped custom emoji (a deleted one: no name) is no vote; the mapped one is: +1.
      react("add", member.id, p2, { name: null as unknown as string, id: "1200000000000000888" });
      react("add", owner.id, p2, { name: null as unknown as string, id: MAPPED_EMOJI_ID });
      // p3: 👍 from two people, one takes it back at once: +1.
      react("add", member.id, p3, { name: "👍" });
      react("add", moderator.id, p3, { name: "👍" });
      react("remove", member.id, p3, { name: "👍" });
      // p4: a skin-toned 👍 and the same person's plain 👍 are one vote: +1.
      react("add", member.id, p4, { name: "👍🏽" });
      react("add", member.id, p4, { name: "👍" });
      // The header is no paper.
      react("add", member.id, header?.id as string, { name: "👍" });

      const asked = emulator.interaction(
        "papers",
        [{ type: 1, name: "top", options: [{ type: 3, name: "period", value: "week" }] }],
        { userId: member.id },
      );
      const { callback, body } = await answerOf(emulator, asked);
      expect(callback.data).toMatchObject({ flags: 64 });
      const [summary, ...cards] = embedsOf(body);
      expect(summary?.title).toBe("Top papers this week");
      const votes = Object.fromEntries(
        cards.map((c) => [c.title, Number(/([+-]\d+) here/.exec(c.footer?.text ?? "")?.[1] ?? 0)]),
      );
      const titleOf = (i: number) => paperPosts[i]?.title as string;
      expect(votes).toEqual({ [titleOf(1)]: 2, [titleOf(2)]: 1, [titleOf(3)]: 1, [titleOf(4)]: 1 });
      expect(cards[0]?.title).toBe(titleOf(1));
    });
  });

  it("`paperboy top --channel` counts the same net votes", async () => {
    const top = await workspace.cli(["top", "--channel", channelId, "--period", "week", "--json"]);
    expect(top.code, top.stderr).toBe(0);
    const votes = Object.fromEntries(
      (JSON.parse(top.stdout) as { id: string; votes: number }[]).map((p) => [p.id, p.votes]),
    );
    const idOf = (i: number) => paperPosts[i]?.id as string;
    expect(votes).toEqual({ [idOf(1)]: 2, [idOf(2)]: 1, [idOf(3)]: 1, [idOf(4)]: 1 });
  });

  it("`digest --status` shows the one run, done", async () => {
    const status = await workspace.cli(["digest", "--status", "--channel", channelId]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout.trim().split("\n")).toHaveLength(1);
    expect(status.stdout).toMatch(new RegExp(`discord:${channelId}\\s+done\\s+5 papers`));
  });

  it("a mention in a paper's thread is answered there from the paper's text, or honestly not", async () => {
    const thread = paperPosts[0]?.messageId as string;
    await withBot(async () => {
      const ask = async (question: string) => {
        const answer = await emulator.messageAndReply(
          { channelId: thread, userId: member.id, content: `<@${DISCORD_DEFAULTS.bot.id}> ${question}` },
          60_000,
        );
        expect((answer.body as { allowed_mentions?: unknown }).allowed_mentions).toMatchObject({ parse: [] });
        return textsOf((answer.body as { embeds?: unknown }).embeds).join("\n");
      };
      // The hostile paper's abstract says which tokenizers: that sentence, quoted, inert.
      const tried = await ask("which tokenizers did they try?");
      expect(unescapeMarkdown(tried)).toContain("a > b & c < d holds for every tokenizer we tried");
      expect(tried).toContain("Abstract");
      expect(activeSyntax([tried])).toEqual([]);
      // It names no dataset: the bot says so instead of guessing.
      expect(await ask("what dataset did they use?")).toContain("The paper doesn't say");
    });
  });
});
