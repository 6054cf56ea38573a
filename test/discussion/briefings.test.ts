import { expect, it } from "vitest";
import type { Channel } from "../../src/core/channel.js";
import { runDigest } from "../../src/core/digests/run-digest.js";
import { selectDigestPapers } from "../../src/core/digests/select-papers.js";
import { buildBriefing } from "../../src/core/discussion/briefing.js";
import { makePaper } from "../../src/core/paper.js";
import type { Reply } from "../../src/core/reply.js";
import { createStore } from "../../src/db/store.js";
import { ManualClock, quietLogger, RecordingPoster, subscribeChannel } from "../digests/digest-harness.js";
import { describeEachDatabase } from "../helpers/test-databases.js";
import { ask, loadSample, makeCore, said } from "./discussion-harness.js";

/** A platform that posts thread replies: records each, and may start a thread of its own (as Discord does). */
class ThreadPoster extends RecordingPoster {
  readonly replies: { threadRef: string; reply: Reply }[] = [];
  startThread: ((threadRef: string) => string) | null = null;
  failReplies = false;
  async postThreadReply(_channel: Channel, threadRef: string, reply: Reply) {
    if (this.failReplies) throw new Error("thread replies are down");
    this.replies.push({ threadRef, reply });
    return this.startThread?.(threadRef);
  }
}

describeEachDatabase("briefings under posted papers", (t) => {
  const clock = new ManualClock(new Date("2026-01-14T09:00:00Z"));
  const deps = (poster: RecordingPoster) => ({
    store: createStore(t.db),
    poster,
    select: selectDigestPapers,
    clock,
    logger: quietLogger,
    owner: "test",
  });

  async function subscribed(threads = true) {
    const store = createStore(t.db);
    await loadSample(store, new Date("2026-01-14T08:00:00Z"));
    const channel = await subscribeChannel(store, "C1", clock.now());
    return threads
      ? channel
      : store.channels.subscribe(channel.id, { ...channel, threads: false }, channel.nextDigestAt);
  }

  it("posts a briefing in each paper's thread: three points, links, related papers, a question", async () => {
    const channel = await subscribed();
    const poster = new ThreadPoster();
    const result = await runDigest(deps(poster), channel);
    expect(result.status).toBe("posted");
    expect(poster.replies).toHaveLength(3);
    const store = createStore(t.db);
    const run = await store.digestRuns.get(channel.id, "2026-01-14", "daily");
    const posts = await store.posts.ofRun(run?.id ?? 0);
    expect(poster.replies.map((r) => r.threadRef)).toEqual(posts.map((p) => p.messageRef));
    for (const [i, { reply }] of poster.replies.entries()) {
      const briefing = reply.briefing;
      expect(briefing?.paperId).toBe(posts[i]?.paperId);
      expect(briefing?.points.map((p) => p.label)).toEqual(["What", "How", "Result"]);
      expect(briefing?.basis).toBe("sentences of the abstract");
      expect(briefing?.related.length).toBeGreaterThan(0);
      expect(briefing?.related.map((c) => c.id)).not.toContain(briefing?.paperId);
      expect(briefing?.question).toMatch(/\?$/);
      // Platforms that render only plain replies still show all of it.
      expect(reply.lines?.slice(0, 3).map((l) => l.split(":")[0])).toEqual(["What", "How", "Result"]);
      expect(reply.footer).toBe(`💬 ${briefing?.question}`);
    }
  });

  it("prefers the HF AI summary and keywords, and links abstract, PDF, HF page and code with stars", () => {
    const paper = {
      ...makePaper({
        id: "2608.09888",
        title: "A Paper",
        source: "huggingface",
        abstract:
          "Large models are slow. We propose FastThing, a sparse attention method. It works by skipping blocks via a learned router. Experiments show a 3x speedup with no loss in accuracy.",
        aiSummary: "FastThing makes attention 3x faster by skipping blocks. It is great.",
        aiKeywords: ["sparse attention", "routing"],
        codeUrl: "https://github.com/x/fastthing",
        githubStars: 11184,
      }),
      firstSeenAt: new Date(),
      votes: 0,
      replies: 0,
      score: 0,
    };
    const briefing = buildBriefing(paper, []);
    expect(briefing.points).toEqual([
      { label: "What", text: "FastThing makes attention 3x faster by skipping blocks." },
      { label: "How", text: "It works by skipping blocks via a learned router." },
      { label: "Result", text: "Experiments show a 3x speedup with no loss in accuracy." },
    ]);
    expect(briefing.basis).toBe("the Hugging Face AI summary and the abstract");
    expect(briefing.keywords).toEqual(["sparse attention", "routing"]);
    expect(briefing.links).toEqual([
      { label: "Abstract", url: "https://arxiv.org/abs/2608.09888" },
      { label: "PDF", url: "https://arxiv.org/pdf/2608.09888" },
      { label: "HF page", url: "https://huggingface.co/papers/2608.09888" },
      { label: "Code ★ 11,184", url: "https://github.com/x/fastthing" },
    ]);
    const extractive = buildBriefing({ ...paper, aiSummary: null }, []);
    expect(extractive.points[0]).toEqual({
      label: "What",
      text: "We propose FastThing, a sparse attention method.",
    });
  });

  it("records the thread a platform starts, so questions there find the paper", async () => {
    const channel = await subscribed();
    const poster = new ThreadPoster();
    poster.startThread = (messageRef) => `thread-of-${messageRef}`;
    await runDigest(deps(poster), channel);
    const threadRef = `thread-of-${poster.replies[0]?.threadRef}`;
    const reply = await ask(makeCore(createStore(t.db), clock), "C1", threadRef, "summary");
    expect(reply.title).toMatch(/^In short: “/);
    expect(said(reply)).toContain(poster.replies[0]?.reply.briefing?.points[0]?.text);
  });

  it("posts no briefing where threads are off or the platform can't, and never fails a digest over one", async () => {
    const off = await subscribed(false);
    const quiet = new ThreadPoster();
    expect((await runDigest(deps(quiet), off)).status).toBe("posted");
    expect(quiet.replies).toEqual([]);
    await t.db.exec("truncate posts, digest_runs restart identity cascade");
    const on = await createStore(t.db).channels.subscribe(
      off.id,
      { ...off, threads: true },
      off.nextDigestAt,
    );
    const plain = new RecordingPoster();
    expect((await runDigest(deps(plain), on)).status).toBe("posted");
    expect(plain.papers).toHaveLength(3);
    await t.db.exec("truncate posts, digest_runs restart identity cascade");
    const broken = new ThreadPoster();
    broken.failReplies = true;
    const result = await runDigest(deps(broken), on);
    expect(result.status).toBe("posted");
    expect(broken.papers).toHaveLength(3);
  });
});
