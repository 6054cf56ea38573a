import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, LogLevel, webApi } from "@slack/bolt";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import type { Channel } from "../../src/core/channel.js";
import { buildBriefing } from "../../src/core/discussion/briefing.js";
import { briefingReply } from "../../src/core/discussion/briefing-reply.js";
import { createStore } from "../../src/db/store.js";
import { registerMentions } from "../../src/platforms/slack/register-mentions.js";
import { withSlackThreads } from "../../src/platforms/slack/slack-thread-poster.js";
import { ManualClock, quietLogger, RecordingPoster } from "../digests/digest-harness.js";
import { fixtureJson } from "../emulators/slack/fixtures.js";
import { SlackEmulator } from "../emulators/slack.js";
import { describeEachDatabase } from "../helpers/test-databases.js";
import { byTitle, loadSample, makeCore, postPaper } from "./discussion-harness.js";

const emulator = new SlackEmulator({ timeoutMs: 20_000 });
beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

describeEachDatabase("Slack threads: mentions, replies, briefings and the recap upload", (t) => {
  const clock = new ManualClock(new Date("2026-01-14T10:00:00Z"));
  const apps: App[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
  });

  /** `settled`: Bolt answers a delivery only once its listeners finished, so a test knows they ran. */
  async function bot(options: { settled?: boolean } = {}) {
    const store = createStore(t.db);
    const papers = await loadSample(store, clock.now());
    const zip = byTitle(papers, "ZipVL");
    await postPaper(store, "C111", zip.id, "1700000000.000100");
    const core = makeCore(store, clock);
    const app = new App({
      token: emulator.botToken,
      signingSecret: emulator.signingSecret,
      clientOptions: { slackApiUrl: emulator.apiUrl },
      logLevel: LogLevel.ERROR,
      processBeforeResponse: options.settled ?? false,
    });
    apps.push(app);
    registerMentions(app, core, quietLogger);
    const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
    return { store, zip, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events` };
  }

  it("answers a mention in a paper's thread in that thread, and counts human replies only", async () => {
    const { store, url } = await bot();
    // The recorded app_mention, moved into the paper's thread.
    const mention = fixtureJson<{ event: Record<string, unknown> }>("slack_app_mention.json").event;
    const since = emulator.calls.length;
    await emulator.deliverEvent(url, {
      ...mention,
      channel: "C111",
      thread_ts: "1700000000.000100",
      text: `<@${emulator.workspace.botUserId}> how much GPU memory does it save?`,
    });
    const answer = await emulator.waitFor(
      "chat.postMessage",
      (c) => c.body.thread_ts === "1700000000.000100",
      undefined,
      since,
    );
    expect(String(answer.body.text)).toContain("ZipVL");
    expect(JSON.stringify(answer.body.blocks)).toContain("reduce GPU memory usage by 50.0%");

    // The recorded thread reply: a person counts, the bot's own message doesn't.
    const reply = fixtureJson<{ event: Record<string, unknown> }>("slack_message_thread_reply.json").event;
    await emulator.deliverEvent(url, { ...reply, channel: "C111", thread_ts: "1700000000.000100" });
    await emulator.deliverEvent(url, {
      ...reply,
      channel: "C111",
      thread_ts: "1700000000.000100",
      bot_id: "B1",
    });
    await emulator.deliverEvent(url, {
      ...reply,
      channel: "C111",
      thread_ts: "1700000000.000100",
      subtype: "message_changed",
    });
    const channel = (await store.channels.find("slack", "C111")) as Channel;
    const replies = async () => {
      const post = await store.posts.byThread(channel.id, "1700000000.000100");
      return (await store.papers.get(post?.paperId ?? ""))?.replies;
    };
    await expect.poll(replies).toBe(1);
    // The bot's message and the edit arrived after the person's; give them time to (not) count.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await replies()).toBe(1);
  });

  it("reads a mention as typed: Slack's &amp; &lt; &gt; are the characters", async () => {
    const { url } = await bot();
    const mention = fixtureJson<{ event: Record<string, unknown> }>("slack_app_mention.json").event;
    const since = emulator.calls.length;
    await emulator.deliverEvent(url, {
      ...mention,
      channel: "C111",
      ts: "1700000002.000300",
      thread_ts: undefined,
      text: `<@${emulator.workspace.botUserId}> R&amp;D agents`,
    });
    const answer = await emulator.waitFor(
      "chat.postMessage",
      (c) => c.body.thread_ts === "1700000002.000300",
      undefined,
      since,
    );
    // The header is plain text: it shows the query as it was typed.
    const [header] = answer.body.blocks as { type: string; text?: { text: string } }[];
    expect(header?.text?.text).toBe('Papers on "R&D agents"');
  });

  it("counts a thread reply and answers a question once when Slack retries them", async () => {
    const { store, url } = await bot({ settled: true });
    const reply = fixtureJson<{ event: Record<string, unknown> }>("slack_message_thread_reply.json").event;
    const inThread = { ...reply, channel: "C111", thread_ts: "1700000000.000100" };
    const first = await emulator.deliverEvent(url, inThread);
    const retry = { eventId: first.eventId, retryNum: 1 };
    expect((await emulator.deliverEvent(url, inThread, retry)).status).toBe(200);
    expect((await emulator.deliverEvent(url, inThread, { ...retry, retryNum: 2 })).status).toBe(200);
    // Another message with the same text is another reply.
    await emulator.deliverEvent(url, { ...inThread, ts: "1775407899.000001" });
    const channel = (await store.channels.find("slack", "C111")) as Channel;
    const post = await store.posts.byThread(channel.id, "1700000000.000100");
    expect((await store.papers.get(post?.paperId ?? ""))?.replies).toBe(2);

    const mention = fixtureJson<{ event: Record<string, unknown> }>("slack_app_mention.json").event;
    const question = {
      ...mention,
      channel: "C111",
      thread_ts: "1700000000.000100",
      text: "<@U0EMUBOT1> summary",
    };
    const since = emulator.calls.length;
    const asked = await emulator.deliverEvent(url, question);
    await emulator.deliverEvent(url, question, { eventId: asked.eventId, retryNum: 1 });
    const answers = emulator.calls
      .slice(since)
      .filter((c) => c.method === "chat.postMessage" && c.body.thread_ts === "1700000000.000100");
    expect(answers).toHaveLength(1);
  });

  it("answers a mention outside threads like /papers <topic>, in a thread under the mention", async () => {
    const { url } = await bot();
    const since = emulator.calls.length;
    const mention = fixtureJson<{ event: Record<string, unknown> }>("slack_app_mention.json").event;
    await emulator.deliverEvent(url, {
      ...mention,
      channel: "C111",
      ts: "1700000000.000900",
      text: "<@U0EMUBOT1> kv cache compression",
    });
    const answer = await emulator.waitFor(
      "chat.postMessage",
      (c) => c.body.thread_ts === "1700000000.000900",
      undefined,
      since,
    );
    expect(String(answer.body.text)).toContain("Papers on");
  });

  it("posts briefings in the paper's thread and uploads the recap chart", async () => {
    const { store, zip } = await bot();
    const client = new webApi.WebClient(emulator.botToken, {
      slackApiUrl: emulator.apiUrl,
      logLevel: LogLevel.ERROR,
    });
    const poster = withSlackThreads(new RecordingPoster(), client);
    const channel = (await store.channels.find("slack", "C111")) as Channel;
    const paper = await store.papers.get(zip.id);
    if (!paper) throw new Error("no paper");
    const since = emulator.calls.length;
    await poster.postThreadReply?.(channel, "1700000000.000100", briefingReply(buildBriefing(paper, [])));
    const posted = await emulator.waitFor(
      "chat.postMessage",
      (c) => c.body.thread_ts === "1700000000.000100",
      undefined,
      since,
    );
    const blocks = JSON.stringify(posted.body.blocks);
    expect(blocks).toContain("*In short*");
    expect(blocks).toContain("*What:*");

    const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
    await poster.postImage?.(
      channel,
      {
        visibility: "channel",
        tone: "info",
        title: "The week in papers",
        lines: ["Most upvoted:", "1. <!channel> A"],
      },
      { png, filename: "weekly.png", altText: "A chart", width: 10, height: 10 },
    );
    const upload = emulator.uploads.find((u) => u.filename === "weekly.png");
    expect(upload?.bytes?.equals(png)).toBe(true);
    expect(upload?.completed?.channel_id).toBe("C111");
    expect(String(upload?.completed?.initial_comment)).toContain("*The week in papers*");
    expect(String(upload?.completed?.initial_comment)).toContain("&lt;!channel&gt;");
  });
});
