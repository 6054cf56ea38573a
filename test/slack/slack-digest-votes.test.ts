import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fixtureJson } from "../emulators/slack/fixtures.js";
import { SlackEmulator } from "../emulators/slack.js";
import {
  activeSyntax,
  type Block,
  cardTitles,
  expectWithinLimits,
  payloadTexts,
  textsOf,
} from "./block-checks.js";
import { ACTIVE_FRAGMENTS, HOSTILE_PAPER, SAFE_LINK } from "./hostile-paper.js";
import {
  type BotProcess,
  PROCESS_TIMEOUT_MS,
  SAMPLE_PAGE,
  SlackWorkspace,
  WIRE_TIMEOUT_MS,
} from "./slack-bot-harness.js";

// One channel's life, in order: an admin subscribes it, `paperboy digest --now` posts, people react,
// and the votes show in /papers top and `paperboy top`. Each step is a test; each needs the one before.

const CHANNEL = "C0DIGEST";
const BOT_USER = "U0EMUBOT1";
/** The recorded app_mention event; each test moves it into a channel and thread. */
const mention = fixtureJson<{ event: Record<string, unknown> }>("slack_app_mention.json").event;

let emulator: SlackEmulator;
let workspace: SlackWorkspace;
const bots: BotProcess[] = [];

beforeAll(async () => {
  emulator = new SlackEmulator({
    users: [
      { id: "U111", name: "seratch" },
      { id: "U222", name: "grace" },
      { id: "U333", name: "alan" },
      { id: "U444", name: "mallory" },
      { id: "U0ADMIN", name: "ada", is_admin: true },
    ],
    channels: [{ id: CHANNEL, name: "papers" }],
    timeoutMs: WIRE_TIMEOUT_MS,
  });
  await emulator.start();
  workspace = await SlackWorkspace.create(emulator);
  await workspace.ingest(SAMPLE_PAGE);
  await workspace.ingest(workspace.writePapers("hostile.jsonl", [HOSTILE_PAPER]));
}, PROCESS_TIMEOUT_MS);

afterAll(async () => {
  for (const bot of bots) await bot.stop();
  await emulator?.stop();
  await workspace?.close();
}, PROCESS_TIMEOUT_MS);

/** Runs `steps` against a freshly started bot, and stops it (cleanly, on SIGTERM) whatever happens. */
async function withBot(steps: (url: string) => Promise<void>): Promise<void> {
  const { bot, url } = await workspace.startHttpBot();
  bots.push(bot);
  try {
    await steps(url);
  } finally {
    expect(await bot.stop()).toEqual({ code: 0, signal: null });
  }
}

/** The chat.postMessage calls that went through in the channel (not in threads), with each one's ts. */
function postsIn(channel: string) {
  return emulator
    .callsTo("chat.postMessage")
    .filter((call) => call.response.ok === true && call.body.channel === channel && !call.body.thread_ts)
    .map((call) => ({ ts: String(call.response.ts), body: call.body, blocks: call.body.blocks as Block[] }));
}

/** "  <id>  <title>" lines of `paperboy digest` (the preview), in posting order. */
function previewLines(stdout: string): { id: string; title: string }[] {
  return stdout
    .split("\n")
    .map((line) => /^ {2}(\S+) {2}(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ id: m[1] as string, title: m[2] as string }));
}

/**
 * event_ts as Slack sends it: the wall clock, to the microsecond, one event after another. (The
 * emulator's own ts only counts microseconds within a second; the adapter keeps milliseconds, so two
 * of those events in one second would look simultaneous and a removal would be ignored.)
 */
let lastEventMs = 0;
function eventTs(): string {
  lastEventMs = Math.max(Date.now(), lastEventMs + 1);
  return (lastEventMs / 1000).toFixed(6);
}

let preview: { id: string; title: string }[] = [];
let paperPosts: { ts: string; title: string }[] = [];
let headerTs = "";

describe(`digests and votes in a Slack channel (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, {
  timeout: PROCESS_TIMEOUT_MS,
}, () => {
  it("an admin subscribes the channel through /papers", async () => {
    await withBot(async (url) => {
      const delivered = await emulator.deliverCommand(url, {
        text: "subscribe at 09:00 tz Europe/Berlin",
        channel_id: CHANNEL,
        channel_name: "papers",
        user_id: "U0ADMIN",
        user_name: "ada",
      });
      expect(delivered.status).toBe(200);
      const answer = await emulator.waitForResponse(
        (r) => emulator.responseUrl(r.id) === delivered.responseUrl,
      );
      expect(answer.body.response_type).toBe("in_channel");
    });
  });

  it("`digest --now` posts a header, then one message per paper, in the previewed order", async () => {
    const shown = await workspace.slackCli(["digest", "--channel", CHANNEL]);
    expect(shown.code, shown.stderr).toBe(0);
    preview = previewLines(shown.stdout);
    expect(preview).toHaveLength(5);
    // The hostile paper has the most upvotes, so it leads.
    expect(preview[0]?.title).toBe(HOSTILE_PAPER.title);

    const run = await workspace.slackCli(["digest", "--now", "--channel", CHANNEL]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `^slack ${CHANNEL} \\d{4}-\\d{2}-\\d{2}: posted 5 papers: ${preview.map((p) => p.id).join(", ")}$`,
        "m",
      ),
    );

    const posts = postsIn(CHANNEL);
    expect(posts).toHaveLength(6);
    const [header, ...papers] = posts;
    headerTs = header?.ts ?? "";
    paperPosts = papers.map((p, i) => ({ ts: p.ts, title: preview[i]?.title ?? "" }));
    expect(header?.blocks[0]).toMatchObject({ type: "header", text: { type: "plain_text" } });
    expect(header?.blocks[0]?.text.text).toMatch(/^📰 Today's papers · \d{4}-\d{2}-\d{2}$/);
    expect(JSON.stringify(header?.blocks)).toContain("5 new papers");
    expect(papers.map((p) => cardTitles(p.blocks))).toEqual(preview.map((p) => [p.title]));
    for (const post of papers) {
      expectWithinLimits(post.blocks);
      // Form-encoded by the WebClient, as on the wire.
      expect(post.body).toMatchObject({ unfurl_links: "false", unfurl_media: "false" });
    }
    // The bot's token, in this channel only.
    for (const call of emulator.callsTo("chat.postMessage")) {
      expect(call.headers.authorization).toBe(`Bearer ${emulator.botToken}`);
    }
  });

  it("each paper's briefing goes into that paper's thread, once, escaped like the post", () => {
    const briefings = emulator
      .callsTo("chat.postMessage")
      .filter((call) => call.response.ok === true && call.body.channel === CHANNEL && call.body.thread_ts);
    expect(briefings.map((b) => b.body.thread_ts)).toEqual(paperPosts.map((p) => p.ts));
    for (const briefing of briefings) {
      expectWithinLimits(briefing.body.blocks as Block[]);
      const text = textsOf(briefing.body.blocks as Block[])
        .map((t) => t.text)
        .join("\n");
      expect(text).toContain("*In short*");
      expect(text).toContain("*What:*");
      expect(text).toContain("💬");
    }
    const hostile = JSON.stringify(briefings[0]?.body);
    for (const fragment of ACTIVE_FRAGMENTS) expect(hostile).not.toContain(fragment);
  });

  it("a mention in a paper's thread is answered there from the paper's text, or honestly not", async () => {
    await withBot(async (url) => {
      const thread = paperPosts[0]?.ts ?? "";
      const ask = async (question: string, ts: string) => {
        const since = emulator.calls.length;
        const delivered = await emulator.deliverEvent(url, {
          ...mention,
          channel: CHANNEL,
          user: "U222",
          ts,
          thread_ts: thread,
          event_ts: ts,
          text: `<@${BOT_USER}> ${question}`,
        });
        expect(delivered.status).toBe(200);
        const answer = await emulator.waitFor(
          "chat.postMessage",
          (c) => c.body.thread_ts === thread && c.body.channel === CHANNEL,
          undefined,
          since,
        );
        return JSON.stringify(answer.body.blocks);
      };
      // The hostile paper's abstract says which tokenizers: that sentence, quoted and escaped.
      const tried = await ask("which tokenizers did they try?", eventTs());
      expect(tried).toContain("a &gt; b &amp; c &lt; d holds for every tokenizer we tried");
      expect(tried).toContain("Abstract");
      for (const fragment of ACTIVE_FRAGMENTS) expect(tried).not.toContain(fragment);
      // It names no dataset: the bot says so instead of guessing.
      const dataset = await ask("what dataset did they use?", eventTs());
      expect(dataset).toContain("The paper doesn't say");
    });
  });

  it("posts the hostile paper with every mention and link escaped", () => {
    const post = postsIn(CHANNEL)[1];
    expect(post).toBeDefined();
    const body = post?.body ?? {};
    const sent = JSON.stringify(body);
    for (const fragment of ACTIVE_FRAGMENTS) expect(sent).not.toContain(fragment);
    expect(activeSyntax(payloadTexts(body), SAFE_LINK)).toEqual([]);
    expect(body.text).toBe(
      "Zanzibarization of tokenizers &lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt; &amp; &lt;#C999&gt; &lt;!subteam^S1&gt;",
    );
    expect(
      textsOf(post?.blocks ?? [])
        .map((t) => t.text)
        .join("\n"),
    ).toContain("Mallory &lt;!everyone&gt;");
  });

  it("a second `digest --now` the same day posts nothing", async () => {
    const before = emulator.callsTo("chat.postMessage").length;
    const again = await workspace.slackCli(["digest", "--now", "--channel", CHANNEL]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^slack ${CHANNEL} \\d{4}-\\d{2}-\\d{2}: already-done: `, "m"));
    expect(emulator.callsTo("chat.postMessage")).toHaveLength(before);
  });

  it("reactions on the posted papers become votes, once per person, and /papers top shows them", async () => {
    await withBot(async (url) => {
      const [p0, p1, p2, p3, p4] = paperPosts.map((p) => p.ts);
      const reaction = (
        type: "reaction_added" | "reaction_removed",
        user: string,
        name: string,
        ts = "",
      ) => ({
        type,
        user,
        reaction: name,
        item: { type: "message", channel: CHANNEL, ts },
        item_user: BOT_USER,
        event_ts: eventTs(),
      });
      const send = async (event: Record<string, unknown>, options = {}) => {
        const delivered = await emulator.deliverEvent(url, event, options);
        expect(delivered.status, delivered.body).toBe(200);
        return delivered;
      };
      // p0: +1 and +1 with a skin tone from one person count once; thumbsup and fire from two others: 3.
      await send(reaction("reaction_added", "U111", "+1", p0));
      await send(reaction("reaction_added", "U111", "+1::skin-tone-2", p0));
      await send(reaction("reaction_added", "U222", "thumbsup", p0));
      await send(reaction("reaction_added", "U333", "fire", p0));
      // p1: a reaction Slack delivers twice (same event, X-Slack-Retry-Num: 1) counts once: 2.
      const rocket = await send(reaction("reaction_added", "U222", "rocket", p1));
      await send(rocket.envelope, { retryNum: 1 });
      await send(reaction("reaction_added", "U333", "+1", p1));
      // p2: added, removed, then the old "added" redelivered late: still removed. Another person's +1: 1.
      const added = await send(reaction("reaction_added", "U111", "+1", p2));
      await send(reaction("reaction_removed", "U111", "+1", p2));
      await send(added.envelope, { retryNum: 1 });
      await send(reaction("reaction_added", "U222", "+1", p2));
      // p3: forged and stale deliveries are refused; the bot's own reaction is no vote: 0.
      const forged = await emulator.deliverEvent(url, reaction("reaction_added", "U444", "+1", p3), {
        forgeSignature: true,
      });
      const stale = await emulator.deliverEvent(url, reaction("reaction_added", "U444", "+1", p3), {
        stale: true,
      });
      expect([forged.status, stale.status]).toEqual([401, 401]);
      await send(reaction("reaction_added", BOT_USER, "+1", p3));
      // p4: a downvote: -1, so not among the top.
      await send(reaction("reaction_added", "U111", "-1", p4));
      // Not paper posts: the digest header and a message the bot never posted.
      await send(reaction("reaction_added", "U111", "+1", headerTs));
      await send(reaction("reaction_added", "U111", "+1", "1600000000.000100"));
      // An emoji that means nothing.
      await send(reaction("reaction_added", "U333", "eyes", p3));

      // Bolt acks an event before its listener has stored the vote, and nothing on the wire says when
      // it has; so /papers top is asked again until the votes have settled (the database check in the
      // next test reads them once the bot has stopped).
      await vi.waitFor(
        async () => {
          const delivered = await emulator.deliverCommand(url, {
            text: "top week",
            channel_id: CHANNEL,
            user_id: "U111",
          });
          expect(delivered.status).toBe(200);
          const answer = await emulator.waitForResponse(
            (r) => emulator.responseUrl(r.id) === delivered.responseUrl,
          );
          const blocks = answer.body.blocks as Block[];
          expectWithinLimits(blocks);
          expect(blocks[0]?.text.text).toBe("Top papers this week");
          expect(cardTitles(blocks)).toEqual([
            paperPosts[0]?.title,
            paperPosts[1]?.title,
            paperPosts[2]?.title,
          ]);
          // Each card's numbers line says "+N in this channel" (a footer may follow the cards).
          const tallies = blocks
            .filter((b) => b.type === "context")
            .flatMap((b) => /([+-]\d+) in this channel/.exec(b.elements[0].text)?.[1] ?? []);
          expect(tallies).toEqual(["+3", "+2", "+1"]);
        },
        { timeout: WIRE_TIMEOUT_MS, interval: 200 },
      );
    });
  });

  it("`paperboy top --channel` reads the same net votes from the database", async () => {
    const top = await workspace.cli(["top", "--channel", CHANNEL, "--json"]);
    expect(top.code, top.stderr).toBe(0);
    const rows = JSON.parse(top.stdout) as { id: string; votes: number }[];
    expect(rows.map((r) => [r.id, r.votes])).toEqual([
      [preview[0]?.id, 3],
      [preview[1]?.id, 2],
      [preview[2]?.id, 1],
    ]);
    const all = await workspace.cli(["top", "--period", "all", "--json"]);
    expect((JSON.parse(all.stdout) as unknown[]).length).toBe(3);
    // Every vote row belongs to a reacting person on a paper post: none for U444, the bot, the header.
    const counts = await workspace.counts();
    expect(counts).toMatchObject({ posts: 5, subscribed: 1 });
    expect(counts.votes).toBe(8);
  });
});
