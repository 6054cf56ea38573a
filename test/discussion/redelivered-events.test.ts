import { expect, it } from "vitest";
import type { MentionEvent } from "../../src/core/discussion/mention.js";
import { createStore } from "../../src/db/store.js";
import { ManualClock } from "../digests/digest-harness.js";
import { describeEachDatabase } from "../helpers/test-databases.js";
import { byTitle, loadSample, makeCore, postPaper } from "./discussion-harness.js";

// Slack retries an event with the same event_id and Discord may send a message again after a
// reconnect, to whichever process is connected: the core answers and counts each event once.

const THREAD = "1700000000.000100";

describeEachDatabase("events delivered more than once", (t) => {
  const clock = new ManualClock(new Date("2026-01-14T10:00:00Z"));

  async function setup() {
    const store = createStore(t.db);
    const papers = await loadSample(store, clock.now());
    const post = await postPaper(store, "C1", byTitle(papers, "ZipVL").id, THREAD);
    // Two processes on one database: each has its own core and store.
    return { store, post, a: makeCore(store, clock), b: makeCore(createStore(t.db), clock) };
  }

  const mention = (fields: Partial<MentionEvent>): MentionEvent => ({
    platform: "slack",
    channelRef: "C1",
    threadRef: null,
    userRef: "U1",
    text: "<@UBOT> kv cache compression",
    ...fields,
  });

  it("answers a mention once per event id, whichever process gets the redelivery", async () => {
    const { a, b } = await setup();
    expect((await a.mention(mention({ eventId: "Ev0AATDEL38U" })))?.title).toContain("Papers on");
    expect(await b.mention(mention({ eventId: "Ev0AATDEL38U" }))).toBeNull();
    expect(await a.mention(mention({ eventId: "Ev0AATDEL38U" }))).toBeNull();
    // Another event, even with the same words, is another question.
    expect((await b.mention(mention({ eventId: "Ev0AATDEL38V" })))?.title).toContain("Papers on");
    // Without an id (the terminal) every mention is answered.
    expect(await a.mention(mention({}))).not.toBeNull();
    expect(await a.mention(mention({}))).not.toBeNull();
  });

  it("counts a redelivered thread reply once, and one Discord message as a reply and a question", async () => {
    const { store, post, a, b } = await setup();
    const reply = { platform: "slack", channelRef: "C1", threadRef: THREAD, fromBot: false };
    expect(await a.threadReply({ ...reply, eventId: "Ev08REALFOLLOWUP1" })).toBe("counted");
    expect(await b.threadReply({ ...reply, eventId: "Ev08REALFOLLOWUP1" })).toBe("already-counted");
    expect(await a.threadReply({ ...reply, eventId: "Ev08REALFOLLOWUP2" })).toBe("counted");
    expect((await store.papers.get(post.paperId))?.replies).toBe(2);

    // Discord gives one id (the message's) to a reply in a thread that also mentions the bot.
    const messageId = "1247654108294045787";
    expect(await a.threadReply({ ...reply, eventId: messageId })).toBe("counted");
    const question = mention({ threadRef: THREAD, text: "<@UBOT> how much memory?", eventId: messageId });
    expect((await a.mention(question))?.title).toMatch(/^From “ZipVL/);
    expect(await b.threadReply({ ...reply, eventId: messageId })).toBe("already-counted");
    expect(await b.mention(question)).toBeNull();
    expect((await store.papers.get(post.paperId))?.replies).toBe(3);
  });
});
