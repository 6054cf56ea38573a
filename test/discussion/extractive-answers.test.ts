import { expect, it } from "vitest";
import { createStore } from "../../src/db/store.js";
import { ManualClock } from "../digests/digest-harness.js";
import { describeEachDatabase } from "../helpers/test-databases.js";
import { ask, byTitle, loadSample, makeCore, postPaper, said } from "./discussion-harness.js";

describeEachDatabase("questions in a paper's thread, without a model", (t) => {
  const clock = new ManualClock(new Date("2026-01-14T10:00:00Z"));

  async function setup() {
    const store = createStore(t.db);
    const papers = await loadSample(store, clock.now());
    const bev = byTitle(papers, "Parametric Depth Based Feature Representation");
    const zip = byTitle(papers, "ZipVL");
    await postPaper(store, "C1", bev.id, "1700000000.000100");
    await postPaper(store, "C1", zip.id, "1700000000.000200");
    await postPaper(store, "C1", byTitle(papers, "NanoFlow").id, "1700000000.000300");
    await postPaper(store, "C1", byTitle(papers, "In defense of parameter sharing").id, "1700000000.000400");
    return { store, core: makeCore(store, clock) };
  }

  it("quotes the abstract sentence that answers, with its section and a note on models", async () => {
    const { core } = await setup();
    const reply = await ask(core, "C1", "1700000000.000100", "what dataset?");
    expect(reply.visibility).toBe("channel");
    expect(reply.title).toMatch(/^From “Parametric Depth/);
    expect(reply.lines?.[0]).toContain("on the nuScenes datasets demonstrate that our method outperforms");
    expect(reply.lines?.[0]).toMatch(/— Abstract$/);
    expect(reply.footer).toContain("LLM_BASE_URL");

    const memory = await ask(core, "C1", "1700000000.000200", "How much GPU memory does it save?");
    expect(memory.lines?.[0]).toContain("reduce GPU memory usage by 50.0%");

    // Asked in other words than the paper's: "reach" asks for a result, "save" means "reduce".
    const throughput = await ask(core, "C1", "1700000000.000300", "what throughput do they reach?");
    expect(throughput.lines?.[0]).toContain("NanoFlow provides 1.91x throughput boost");
    const footprint = await ask(core, "C1", "1700000000.000400", "how much memory does it save?");
    expect(footprint.lines?.[0]).toContain("several ways to reduce its memory footprint");

    const kv = await ask(core, "C1", "1700000000.000200", "explain KV cache");
    expect(kv.lines?.length).toBeGreaterThan(0);
    for (const line of kv.lines ?? []) expect(line).toMatch(/KV\) cache|KV cache/);
  });

  it("says the paper doesn't say when its text has no answer, instead of guessing", async () => {
    const { core } = await setup();
    const gpu = await ask(core, "C1", "1700000000.000100", "which GPU did they train on?");
    expect(gpu.title).toBe("The paper doesn't say");
    expect(said(gpu)).toContain("the abstract");
    expect(said(gpu)).toContain("gpu, train");
    const mamba = await ask(core, "C1", "1700000000.000100", "how does it compare to Mamba?");
    expect(mamba.title).toBe("The paper doesn't say");
  });

  it("answers summary and related-work questions, and suggests questions for an empty mention", async () => {
    const { core } = await setup();
    const summary = await ask(core, "C1", "1700000000.000200", "summary please");
    expect(summary.lines?.map((l) => l.split(":")[0])).toEqual(["What", "How", "Result"]);
    expect(summary.lines?.[0]).toContain("we present ZipVL");
    expect(summary.footer).toBe("From sentences of the abstract.");

    const related = await ask(core, "C1", "1700000000.000200", "related work?");
    expect(related.title).toBe("Related work");
    expect(related.related?.length).toBeGreaterThan(0);
    expect(related.related?.map((c) => c.title)).not.toContain(
      "ZipVL: Efficient Large Vision-Language Models with Dynamic Token Sparsification and KV Cache Compression",
    );
    expect(related.related?.some((c) => /KV Cache/i.test(c.title))).toBe(true);

    const empty = await ask(core, "C1", "1700000000.000200", "");
    expect(empty.title).toMatch(/^Ask me about “ZipVL/);
  });

  it("answers a mention outside a paper thread like /papers <topic>", async () => {
    const { core } = await setup();
    const outside = await ask(core, "C1", null, "what's new on kv cache compression?");
    expect(outside.visibility).toBe("channel");
    expect(outside.title).toContain("Papers on");
    expect(outside.papers?.some((c) => c.title.startsWith("Scissorhands"))).toBe(true);
    // A thread that is no paper's is "outside" too.
    const elsewhere = await ask(core, "C1", "1600000000.000001", "kv cache compression");
    expect(elsewhere.title).toContain("Papers on");
  });

  it("counts replies in paper threads only, never the bot's own", async () => {
    const { store, core } = await setup();
    const event = { platform: "slack", channelRef: "C1", threadRef: "1700000000.000100", fromBot: false };
    expect(await core.threadReply(event)).toBe("counted");
    expect(await core.threadReply(event)).toBe("counted");
    expect(await core.threadReply({ ...event, fromBot: true })).toBe("ignored-bot");
    expect(await core.threadReply({ ...event, threadRef: "1600000000.000001" })).toBe("not-a-paper-thread");
    expect(await core.threadReply({ ...event, channelRef: "C-UNKNOWN" })).toBe("not-a-paper-thread");
    const channel = await store.channels.find("slack", "C1");
    const post = await store.posts.byThread(channel?.id ?? 0, "1700000000.000100");
    const paper = await store.papers.get(post?.paperId ?? "");
    expect(paper?.replies).toBe(2);
  });
});
