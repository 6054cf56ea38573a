import { beforeAll, beforeEach, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.js";
import type { PaperStore } from "../../src/core/ports.js";
import { createEmbeddingsClient } from "../../src/core/search/embeddings-client.js";
import { LiveSearchIndex } from "../../src/core/search/live-search-index.js";
import { searchPapers } from "../../src/core/search/search-papers.js";
import { SemanticReranker } from "../../src/core/search/semantic-rerank.js";
import { createStore } from "../../src/db/store.js";
import { embeddingsEmulator, SHRINKING, warningLogger } from "../helpers/meaning-tests.js";
import { samplePapers } from "../helpers/sample-papers.js";
import { describeEachDatabase } from "../helpers/test-databases.js";

const NOW = new Date("2026-01-15T00:00:00Z");
const { logger, warnings } = warningLogger();
const emulator = embeddingsEmulator();

describeEachDatabase("semantic reranking through an embeddings endpoint", (t) => {
  let store: PaperStore;
  let index: LiveSearchIndex;
  let sample: Paper[];
  const reranker = (timeoutMs = 2_000) =>
    new SemanticReranker(
      createEmbeddingsClient({ baseUrl: emulator.baseUrl, model: "toy-embed", apiKey: "sk-test", timeoutMs }),
      logger,
    );
  const titles = async (query: string, semantic?: SemanticReranker) =>
    (await searchPapers(store, query, { limit: 5, index, now: NOW, semantic })).papers.map((p) => p.title);
  /** Whether a paper is about making models smaller, by its title and abstract. */
  const shrinks = (title: string) => {
    const paper = sample.find((p) => p.title === title);
    return SHRINKING.test(`${title} ${paper?.abstract ?? ""}`);
  };

  beforeAll(async () => {
    sample = await samplePapers();
  });
  beforeEach(async () => {
    store = createStore(t.db).papers;
    await store.upsert(sample, NOW);
    index = new LiveSearchIndex({ store, logger, pollMs: 0 });
    await index.start();
    emulator.mode = "normal";
    warnings.length = 0;
  });

  it("puts the papers whose meaning fits first, among the text search's candidates", async () => {
    const textOnly = await titles("shrinking deep neural networks");
    const semantic = reranker();
    const withMeaning = await titles("shrinking deep neural networks", semantic);
    // The words match many papers on deep networks; by meaning, the ones on making them smaller lead.
    expect(textOnly.filter(shrinks).length).toBeLessThan(withMeaning.filter(shrinks).length);
    expect(shrinks(withMeaning[0] ?? "")).toBe(true);
    // Every paper it shows was a text candidate: meaning reorders, it does not invent matches.
    const candidates = (
      await searchPapers(store, "shrinking deep neural networks", { limit: 15, index, now: NOW })
    ).papers.map((p) => p.title);
    for (const title of withMeaning) expect(candidates).toContain(title);
    const [request] = emulator.embeddingRequests.slice(-1);
    expect(request?.model).toBe("toy-embed");
    expect(request?.input[0]).toBe("shrinking deep neural networks");
  });

  it("embeds each paper once: a second search sends only the query", async () => {
    const semantic = reranker();
    await titles("shrinking deep neural networks", semantic);
    const before = emulator.embeddingRequests.length;
    await titles("shrinking deep neural networks", semantic);
    expect(emulator.embeddingRequests.slice(before).map((r) => r.input.length)).toEqual([1]);
  });

  it.each(["failing", "malformed", "not-json", "slow"] as const)(
    "keeps the text order when the endpoint is %s, and says why in the log",
    async (mode) => {
      const textOnly = await titles("shrinking deep neural networks");
      emulator.mode = mode;
      emulator.slowMs = 1_000;
      expect(await titles("shrinking deep neural networks", reranker(300))).toEqual(textOnly);
      expect(warnings).toContain("semantic rerank skipped");
    },
  );
});
