import { expect, it, vi } from "vitest";
import { makePaper } from "../../src/core/paper.js";
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

describeEachDatabase("the search index thread", (t) => {
  it("when the thread dies, searches go to the database and the index is rebuilt in a new thread", async () => {
    const store = createStore(t.db).papers;
    await store.upsert(corpus(2_000), SEEN);
    const errors: string[] = [];
    const logger = {
      info() {},
      warn() {},
      debug() {},
      error: (_fields: unknown, message: string) => void errors.push(message),
    };
    let hosts = 0;
    const index = new LiveSearchIndex({
      store,
      logger,
      pollMs: 0,
      recoverMs: 50,
      // The first thread's heap is far too small for the library: it dies while loading.
      host: (onFailure) =>
        new ThreadedIndexHost({}, onFailure, hosts++ === 0 ? { maxOldGenerationSizeMb: 4 } : undefined),
    });
    try {
      await expect(index.start()).rejects.toThrow(/memory|exited/);
      expect(index.isReady).toBe(false);
      expect(errors).toEqual(["search index failed; searching the database until it is rebuilt"]);
      const titles = async () =>
        (await searchPapers(store, "kv cache compression", { limit: 3, index, now: NOW })).papers.map(
          (p) => p.title,
        );
      expect(await titles()).toEqual(["KV cache compression for LLMs"]);
      await vi.waitFor(() => expect(index.isReady).toBe(true), { timeout: 20_000, interval: 50 });
      expect(hosts).toBe(2);
      expect(index.size).toBe(2_000);
      expect(await titles()).toEqual(["KV cache compression for LLMs"]);
    } finally {
      await index.stop();
    }
  });

  it("keeps trying to rebuild while the database is away", async () => {
    const store = createStore(t.db).papers;
    await store.upsert(corpus(2_000), SEEN);
    const warnings: string[] = [];
    const logger = {
      info() {},
      error() {},
      debug() {},
      warn: (_fields: unknown, message: string) => void warnings.push(message),
    };
    let hosts = 0;
    let refusals = 0;
    // After the first thread dies, the database refuses the rebuild's first two reads of the feed.
    const flaky = Object.assign(Object.create(store) as typeof store, {
      changesSince: (...args: Parameters<typeof store.changesSince>) =>
        hosts > 1 && refusals < 2
          ? Promise.reject(new Error(`connection refused (${++refusals})`))
          : store.changesSince(...args),
    });
    const index = new LiveSearchIndex({
      store: flaky,
      logger,
      pollMs: 0,
      recoverMs: 50,
      host: (onFailure) =>
        new ThreadedIndexHost({}, onFailure, hosts++ === 0 ? { maxOldGenerationSizeMb: 4 } : undefined),
    });
    try {
      await expect(index.start()).rejects.toThrow(/memory|exited/);
      await vi.waitFor(() => expect(index.isReady).toBe(true), { timeout: 20_000, interval: 50 });
      expect(refusals).toBe(2);
      expect(warnings.filter((w) => w === "search index rebuild failed; trying again")).toHaveLength(2);
      expect(hosts).toBe(2);
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
