import { expect, it } from "vitest";
import type { Channel } from "../../src/core/channel.js";
import { makePaper, type Paper } from "../../src/core/paper.js";
import { createPaperboy, type Paperboy } from "../../src/core/paperboy.js";
import type { Logger, PostRecord, Store } from "../../src/core/ports.js";
import { trendingScore } from "../../src/core/trending.js";
import { parseEmojiActions } from "../../src/core/votes/emoji-actions.js";
import type { ReactionEvent } from "../../src/core/votes/record-reaction.js";
import { createStore } from "../../src/db/store.js";
import { describeEachDatabase } from "../helpers/test-databases.js";

const NOW = new Date("2026-01-11T06:30:00Z");
const quiet: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** Event times a few seconds apart, as the platform stamps them. */
const at = (second: number) => new Date(NOW.getTime() - 3_600_000 + second * 1000);

function paper(id: string, fields: Partial<Paper> = {}): Paper {
  return makePaper({ id, title: `Paper ${id}`, abstract: `About ${id}.`, source: "huggingface", ...fields });
}

interface World {
  store: Store;
  core: Paperboy;
  channel(ref: string): Promise<Channel>;
  /** Posts a paper to a channel, as a digest does, under a message ref. */
  post(channel: Channel, paperId: string, messageRef: string): Promise<PostRecord>;
  /** A user's reaction on a message in channel C1 unless told otherwise. */
  react(
    fields: Partial<ReactionEvent> & Pick<ReactionEvent, "emoji" | "eventAt">,
  ): ReturnType<Paperboy["reaction"]>;
}

function world(store: Store): World {
  const emoji = parseEmojiActions(undefined);
  if (!emoji.ok) throw new Error(emoji.error);
  const core = createPaperboy({
    store,
    clock: { now: () => NOW },
    logger: quiet,
    admins: [],
    defaults: { timezone: "UTC", digestTime: "09:00" },
    emojiActions: emoji.value,
  });
  return {
    store,
    core,
    channel: (ref) => store.channels.ensure({ platform: "slack", workspaceId: "T1", channelRef: ref }),
    async post(channel, paperId, messageRef) {
      const reserved = await store.posts.reserve(channel.id, paperId, null, 0);
      if (!reserved) throw new Error(`${paperId} was already posted to ${channel.channelRef}`);
      await store.posts.markSent(reserved.id, messageRef);
      return reserved;
    },
    react: (fields) =>
      core.reaction({
        platform: "slack",
        channelRef: "C1",
        messageRef: "m-a",
        userRef: "U1",
        added: true,
        fromBot: false,
        ...fields,
      }),
  };
}

describeEachDatabase("votes from reactions", (t) => {
  /** Channel C1 with paper A posted as message m-a. */
  async function setup() {
    const w = world(createStore(t.db));
    await w.store.papers.upsert([paper("2601.00001")], NOW);
    const c1 = await w.channel("C1");
    const postA = await w.post(c1, "2601.00001", "m-a");
    const net = () => w.store.votes.netVotes(postA.id);
    return { ...w, c1, postA, net };
  }

  it("counts a 👍 as one up vote on the posted paper", async () => {
    const w = await setup();
    expect(await w.react({ emoji: "+1", eventAt: at(1) })).toBe("recorded");
    expect(await w.net()).toBe(1);
    expect((await w.store.papers.get("2601.00001"))?.votes).toBe(1);
  });

  it("counts each person once up, whatever emoji they use", async () => {
    const w = await setup();
    expect(await w.react({ emoji: "+1", eventAt: at(1) })).toBe("recorded");
    expect(await w.react({ emoji: "fire", eventAt: at(2) })).toBe("recorded");
    expect(await w.react({ emoji: "🚀", eventAt: at(3) })).toBe("recorded");
    expect(await w.net()).toBe(1);
    expect(await w.react({ emoji: "👍🏽", userRef: "U2", eventAt: at(4) })).toBe("recorded");
    expect(await w.net()).toBe(2);
  });

  it("treats Slack's and the unicode name of one emoji, skin tones included, as the same reaction", async () => {
    const w = await setup();
    expect(await w.react({ emoji: "+1::skin-tone-2", eventAt: at(1) })).toBe("recorded");
    expect(await w.react({ emoji: "👍", eventAt: at(2) })).toBe("unchanged");
    expect(await w.react({ emoji: "thumbsup", added: false, eventAt: at(3) })).toBe("recorded");
    expect(await w.net()).toBe(0);
  });

  it("nets an up and a down vote of one person to zero", async () => {
    const w = await setup();
    await w.react({ emoji: "+1", eventAt: at(1) });
    expect(await w.react({ emoji: "-1", eventAt: at(2) })).toBe("recorded");
    expect(await w.net()).toBe(0);
    await w.react({ emoji: "👎", userRef: "U2", eventAt: at(3) });
    expect(await w.net()).toBe(-1);
  });

  it("undoes a vote when the reaction is removed", async () => {
    const w = await setup();
    await w.react({ emoji: "+1", eventAt: at(1) });
    await w.react({ emoji: "fire", eventAt: at(2) });
    expect(await w.react({ emoji: "+1", added: false, eventAt: at(3) })).toBe("recorded");
    expect(await w.net()).toBe(1);
    expect(await w.react({ emoji: "fire", added: false, eventAt: at(4) })).toBe("recorded");
    expect(await w.net()).toBe(0);
  });

  it("counts an event delivered twice once", async () => {
    const w = await setup();
    expect(await w.react({ emoji: "+1", eventAt: at(1) })).toBe("recorded");
    expect(await w.react({ emoji: "+1", eventAt: at(1) })).toBe("unchanged");
    expect(await w.net()).toBe(1);
    expect(await w.react({ emoji: "+1", added: false, eventAt: at(2) })).toBe("recorded");
    expect(await w.react({ emoji: "+1", added: false, eventAt: at(2) })).toBe("unchanged");
    expect(await w.net()).toBe(0);
  });

  it("ignores a redelivered add that is older than the removal", async () => {
    const w = await setup();
    await w.react({ emoji: "+1", eventAt: at(1) });
    await w.react({ emoji: "+1", added: false, eventAt: at(2) });
    expect(await w.react({ emoji: "+1", eventAt: at(1) })).toBe("unchanged");
    expect(await w.net()).toBe(0);
  });

  it("ignores a removal that arrives before the add it removes (out of order)", async () => {
    const w = await setup();
    await w.react({ emoji: "+1", added: false, eventAt: at(2) });
    expect(await w.react({ emoji: "+1", eventAt: at(1) })).toBe("unchanged");
    expect(await w.net()).toBe(0);
  });

  // BUG (src/db/vote-store.ts apply, both upserts): the row's event_at only moves when `active`
  // flips (`where votes.event_at < excluded.event_at and votes.active <> excluded.active`). A user
  // adds 👍 (t1), removes it (t2), adds it again (t3); if the t2 removal is delivered last, the t3 add
  // left event_at at t1 (same state), so the stale t2 removal is applied and the vote is lost,
  // although the newest event says the reaction is there. Same for bookmarks in saved_papers.
  // Fix: always advance event_at on a newer event (`where ... event_at < excluded.event_at`), and
  // report "changed" only when `active` differed (e.g. compare with the old row in a CTE).
  it("keeps a vote re-added after a removal that is delivered late", async () => {
    const w = await setup();
    await w.react({ emoji: "+1", eventAt: at(1) });
    await w.react({ emoji: "+1", eventAt: at(3) });
    await w.react({ emoji: "+1", added: false, eventAt: at(2) });
    expect(await w.net()).toBe(1);
  });

  it("ignores reactions by bots, other emoji, other messages and unknown channels", async () => {
    const w = await setup();
    expect(await w.react({ emoji: "+1", fromBot: true, eventAt: at(1) })).toBe("ignored-bot");
    expect(await w.react({ emoji: "eyes", eventAt: at(2) })).toBe("ignored-emoji");
    expect(await w.react({ emoji: "+1", messageRef: "not-a-post", eventAt: at(3) })).toBe("not-a-paper-post");
    expect(await w.react({ emoji: "+1", channelRef: "C-unknown", eventAt: at(4) })).toBe("not-a-paper-post");
    expect(await w.net()).toBe(0);
  });

  it("saves a paper on 🔖 without voting, and unsaves it when the reaction is removed", async () => {
    const w = await setup();
    expect(await w.react({ emoji: "🔖", eventAt: at(1) })).toBe("recorded");
    expect(await w.net()).toBe(0);
    expect((await w.store.votes.saved("slack", "U1", 10)).map((p) => p.id)).toEqual(["2601.00001"]);
    expect(await w.store.votes.saved("slack", "U2", 10)).toEqual([]);
    expect(await w.store.votes.saved("discord", "U1", 10)).toEqual([]);

    expect(await w.react({ emoji: "bookmark", eventAt: at(1) })).toBe("unchanged");
    expect(await w.react({ emoji: "bookmark", added: false, eventAt: at(2) })).toBe("recorded");
    expect(await w.store.votes.saved("slack", "U1", 10)).toEqual([]);
    expect(await w.react({ emoji: "🔖", eventAt: at(3) })).toBe("recorded");
    expect((await w.store.votes.saved("slack", "U1", 10)).map((p) => p.title)).toEqual(["Paper 2601.00001"]);
  });

  it("gives reactions arriving together the outcomes they would have one by one", async () => {
    const w = await setup();
    const c2 = await w.channel("C2");
    await w.store.papers.upsert([paper("2601.00002")], NOW);
    const postB = await w.post(c2, "2601.00002", "m-b");
    // All in flight at once: the first is written alone, the rest wait for it and go together, the
    // same person's second 👍 on m-a in a later statement than their first.
    const outcomes = await Promise.all([
      w.react({ emoji: "+1", userRef: "U0", eventAt: at(1) }),
      ...Array.from({ length: 30 }, (_, i) => w.react({ emoji: "+1", userRef: `U${i + 1}`, eventAt: at(2) })),
      w.react({ emoji: "thumbsup", userRef: "U1", eventAt: at(3) }),
      w.react({ emoji: "-1", userRef: "U2", eventAt: at(3) }),
      w.react({ emoji: "+1", userRef: "U3", added: false, eventAt: at(3) }),
      w.react({ emoji: "+1", messageRef: "not-a-post", eventAt: at(3) }),
      w.react({ emoji: "🔖", userRef: "U4", eventAt: at(3) }),
      w.react({ emoji: "+1", channelRef: "C2", messageRef: "m-b", userRef: "U1", eventAt: at(3) }),
    ]);
    expect(outcomes.slice(0, 31)).toEqual(Array(31).fill("recorded"));
    expect(outcomes.slice(31)).toEqual([
      "unchanged",
      "recorded",
      "recorded",
      "not-a-paper-post",
      "recorded",
      "recorded",
    ]);
    // U0..U30 up, U2 up and down (nets to nothing), U3 took theirs back: 29.
    expect(await w.net()).toBe(29);
    expect(await w.store.votes.netVotes(postB.id)).toBe(1);
    expect((await w.store.votes.saved("slack", "U4", 10)).map((p) => p.id)).toEqual(["2601.00001"]);
  });

  it("writes the others when one reaction of a batch can't go in the same statement", async () => {
    const w = await setup();
    const c2 = await w.channel("C2");
    await w.post(c2, "2601.00001", "m-a2");
    // One person bookmarks the same paper in two channels at once: one saved row, two statements.
    const outcomes = await Promise.all([
      w.react({ emoji: "+1", userRef: "U9", eventAt: at(1) }),
      w.react({ emoji: "🔖", eventAt: at(2) }),
      w.react({ emoji: "🔖", channelRef: "C2", messageRef: "m-a2", eventAt: at(3) }),
      w.react({ emoji: "+1", userRef: "U8", eventAt: at(3) }),
    ]);
    expect(outcomes).toEqual(["recorded", "recorded", "unchanged", "recorded"]);
    expect((await w.store.votes.saved("slack", "U1", 10)).map((p) => p.id)).toEqual(["2601.00001"]);
    expect(await w.net()).toBe(2);
  });

  it("ranks this channel's papers by net votes for /papers top", async () => {
    const w = await setup();
    await w.store.papers.upsert([paper("2601.00002"), paper("2601.00003")], NOW);
    const c2 = await w.channel("C2");
    await w.post(w.c1, "2601.00002", "m-b");
    await w.post(w.c1, "2601.00003", "m-c");
    await w.post(c2, "2601.00001", "m2-a");
    await w.post(c2, "2601.00002", "m2-b");
    const vote = (channelRef: string, messageRef: string, userRef: string, emoji: string, second: number) =>
      w.react({ channelRef, messageRef, userRef, emoji, eventAt: at(second) });
    // C1: A +2, B +1, C -1. C2: B +3.
    await vote("C1", "m-a", "U1", "+1", 1);
    await vote("C1", "m-a", "U2", "fire", 2);
    await vote("C1", "m-b", "U1", "+1", 3);
    await vote("C1", "m-c", "U1", "-1", 4);
    for (const user of ["U1", "U2", "U3"]) await vote("C2", "m2-b", user, "+1", 5);

    const top = async (channelId?: number) =>
      (await w.store.papers.top("week", NOW, { ...(channelId ? { channelId } : {}), limit: 10 })).map((p) => [
        p.id,
        p.votes,
      ]);
    expect(await top(w.c1.id)).toEqual([
      ["2601.00001", 2],
      ["2601.00002", 1],
    ]);
    expect(await top(c2.id)).toEqual([["2601.00002", 3]]);
    expect(await top()).toEqual([
      ["2601.00002", 4],
      ["2601.00001", 2],
    ]);
  });

  it("counts votes in the period they were cast", async () => {
    const w = await setup();
    const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
    await w.react({ emoji: "+1", userRef: "U1", eventAt: daysAgo(10) });
    await w.react({ emoji: "+1", userRef: "U2", eventAt: daysAgo(3) });
    await w.react({ emoji: "+1", userRef: "U3", eventAt: daysAgo(0.5) });
    const votes = async (period: "day" | "week" | "month" | "all") =>
      (await w.store.papers.top(period, NOW, { channelId: w.c1.id, limit: 10 }))[0]?.votes ?? 0;
    expect(await votes("day")).toBe(1);
    expect(await votes("week")).toBe(2);
    expect(await votes("month")).toBe(3);
    expect(await votes("all")).toBe(3);
  });

  it("shows /papers top from reactions, end to end", async () => {
    const w = await setup();
    const context = {
      address: { platform: "slack", workspaceId: "T1", channelRef: "C1" },
      userRef: "U9",
      isAdmin: false,
    };
    expect((await w.core.command(context, "top week")).title).toMatch(/^No votes .*this week yet$/);
    await w.react({ emoji: "+1", eventAt: at(1) });
    const reply = await w.core.command(context, "top week");
    expect(reply.title).toBe("Top papers this week");
    expect(reply.papers?.map((p) => [p.id, p.votes])).toEqual([["2601.00001", 1]]);
  });

  it("computes the trending score in SQL exactly as trendingScore does, votes and replies included", async () => {
    const w = await setup();
    const featured = paper("2601.00010", { featuredOn: "2026-01-10", hfUpvotes: 40, githubStars: 100 });
    const published = paper("2601.00011", { publishedAt: new Date("2026-01-09T12:00:00Z"), hfUpvotes: 3 });
    const unseen = paper("2601.00012", { hfUpvotes: null, githubStars: null });
    const seenAt = new Date(NOW.getTime() - 5 * 3_600_000);
    await w.store.papers.upsert([featured, published, unseen], seenAt);
    const post = await w.post(w.c1, featured.id, "m-f");
    for (const [i, user] of ["U1", "U2", "U3"].entries()) {
      await w.react({ messageRef: "m-f", userRef: user, emoji: "+1", eventAt: at(i) });
    }
    await w.react({ messageRef: "m-f", userRef: "U3", emoji: "-1", eventAt: at(9) }); // U3 nets to 0
    expect(await w.store.posts.countReply(w.c1.id, "m-f")).toBe(true);
    expect(await w.store.votes.netVotes(post.id)).toBe(2);

    const trending = await w.store.papers.trending(NOW, { channelId: w.c1.id, limit: 10 });
    const score = (id: string) => trending.find((p) => p.id === id)?.score ?? Number.NaN;
    const hours = (from: Date) => (NOW.getTime() - from.getTime()) / 3_600_000;

    const expected = {
      // Age from the day HF featured it (midnight UTC): 30.5 hours.
      [featured.id]: trendingScore({
        hfUpvotes: 40,
        githubStars: 100,
        votes: 2,
        replies: 1,
        ageHours: hours(new Date("2026-01-10T00:00:00Z")),
      }),
      // Else from its publication.
      [published.id]: trendingScore({
        hfUpvotes: 3,
        githubStars: null,
        votes: 0,
        replies: 0,
        ageHours: hours(new Date("2026-01-09T12:00:00Z")),
      }),
      // Else from when paperboy first saw it.
      [unseen.id]: trendingScore({ hfUpvotes: null, githubStars: null, votes: 0, replies: 0, ageHours: 5 }),
    };
    for (const [id, value] of Object.entries(expected)) {
      expect(Math.abs(score(id) - value), id).toBeLessThan(1e-9);
    }
    const featuredListed = trending.find((p) => p.id === featured.id);
    expect([featuredListed?.votes, featuredListed?.replies]).toEqual([2, 1]);
    // Listed by score.
    const scores = trending.map((p) => p.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("lets channel votes lift a paper in the trending list", async () => {
    const w = await setup();
    // Two papers equal in everything but their id; the second is ranked last until it gets votes.
    await w.store.papers.upsert(
      [paper("2601.00020", { hfUpvotes: 10 }), paper("2601.00021", { hfUpvotes: 10 })],
      new Date(NOW.getTime() - 3_600_000),
    );
    const order = async () =>
      (await w.store.papers.trending(NOW, { channelId: w.c1.id, limit: 10 }))
        .map((p) => p.id)
        .filter((id) => id >= "2601.00020");
    expect(await order()).toEqual(["2601.00020", "2601.00021"]);
    await w.post(w.c1, "2601.00021", "m-v");
    await w.react({ messageRef: "m-v", emoji: "+1", eventAt: at(1) });
    expect(await order()).toEqual(["2601.00021", "2601.00020"]);
    // Votes in another channel don't lift it here.
    const c2 = await w.channel("C2");
    expect(
      (await w.store.papers.trending(NOW, { channelId: c2.id, limit: 10 }))
        .map((p) => p.id)
        .filter((id) => id >= "2601.00020"),
    ).toEqual(["2601.00020", "2601.00021"]);
  });
});
