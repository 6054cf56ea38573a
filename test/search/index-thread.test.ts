import { expect, it, vi } from "vitest";
import { makePaper } from "../../src/core/paper.js";
import type { PaperStore } from "../../src/core/ports.js";
import { LiveSearchIndex } from "../../src/core/search/live-search-index.js";
import { searchPapers } from "../../src/core/search/search-papers.js";
import { createStore } from "../../src/db/store.js";
import { ThreadedIndexHost } from "../../src/threads/threaded-index-host.js";
import { describeEachDatabase } from "../helpers/test-databases.js";

const SEEN = new Date("2026-01-10T00:00:00Z");
const NOW = new Date("2026-01-15T00:00:00Z");

/** Papers with many distinct words, so an index of them outgrows a small heap. */
const corpus = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    makePaper({
      id: `2401.${String(i).padStart(5, "0")}`,
      title: i === 0 ? "KV cache compression for LLMs" : `Study ${i} of w${i}x topics`,
      abstract: Array.from({ length: 40 }, (_, j) => `t${i}q${j}`).join(" "),
      source: "test",
    }),
  );

/**
 * An index over 2,000 papers whose first thread's heap is far too small for them, so it dies while
 * loading; later threads have Node's defaults. Records what is logged, and how many threads were made.
 */
function indexWithStarvedThread(store: PaperStore) {
  const logged = { error: [] as string[], warn: [] as string[] };
  const record = (into: string[]) => (_fields: unknown, message: string) => void into.push(message);
  const made = { hosts: 0 };
  const index = new LiveSearchIndex({
    store,
    logger: { info() {}, debug() {}, error: record(logged.error), warn: record(logged.warn) },
    pollMs: 0,
    recoverMs: 50,
    host: (onFailure) =>
      new ThreadedIndexHost({}, onFailure, made.hosts++ === 0 ? { maxOldGenerationSizeMb: 4 } : undefined),
  });
  return { index, logged, made };
}

describeEachDatabase("the search index thread", (t) => {
  it("when the thread dies, searches go to the database and the index is rebuilt in a new thread", async () => {
    const store = createStore(t.db).papers;
    await store.upsert(corpus(2_000), SEEN);
    const { index, logged, made } = indexWithStarvedThread(store);
    try {
      await expect(index.start()).rejects.toThrow(/memory|exited/);
      expect(index.isReady).toBe(false);
      expect(logged.error).toEqual(["search index failed; searching the database until it is rebuilt"]);
      const titles = async () =>
        (await searchPapers(store, "kv cache compression", { limit: 3, index, now: NOW })).papers.map(
          (p) => p.title,
        );
      expect(await titles()).toEqual(["KV cache compression for LLMs"]);
      await vi.waitFor(() => expect(index.isReady).toBe(true), { timeout: 20_000, interval: 50 });
      expect(made.hosts).toBe(2);
      expect(index.size).toBe(2_000);
      expect(await titles()).toEqual(["KV cache compression for LLMs"]);
    } finally {
      await index.stop();
    }
  });

  it("keeps trying to rebuild while the database is away", async () => {
    const papers = createStore(t.db).papers;
    await papers.upsert(corpus(2_000), SEEN);
    let refusals = 0;
    // After the first thread dies, the database refuses the rebuild's first two reads of the feed.
    const flaky: PaperStore = Object.assign(Object.create(papers) as PaperStore, {
      changesSince: (...args: Parameters<PaperStore["changesSince"]>) =>
        made.hosts > 1 && refusals < 2
          ? Promise.reject(new Error(`connection refused (${++refusals})`))
          : papers.changesSince(...args),
    });
    const { index, logged, made } = indexWithStarvedThread(flaky);
    try {
      await expect(index.start()).rejects.toThrow(/memory|exited/);
      await vi.waitFor(() => expect(index.isReady).toBe(true), { timeout: 20_000, interval: 50 });
      expect(refusals).toBe(2);
      expect(logged.warn.filter((w) => w === "search index rebuild failed; trying again")).toHaveLength(2);
      expect(made.hosts).toBe(2);
      expect(index.size).toBe(2_000);
    } finally {
      await index.stop();
    }
  });

  it("answers calls after the thread is closed with an error, not a hang", async () => {
    const host = new ThreadedIndexHost();
    expect(await host.reset()).toEqual({ liveDocs: 0, version: 0 });
    await host.close();
    await expect(host.reset()).rejects.toThrow("the search index is closed");
  });
});
