import { beforeEach, describe, expect, it } from "vitest";
import { searchPapers } from "../../src/core/search/search-papers.js";
import type { Database } from "../../src/db/client.js";
import { createStore } from "../../src/db/store.js";
import { samplePapers } from "../helpers/sample-papers.js";
import { describeEachDatabase, freshPglite, freshPostgres } from "../helpers/test-databases.js";

/**
 * A judged query set over the bundled sample page (100 papers copied from huggingface.co/papers).
 * Each judgement was made by reading the sample: the papers a researcher typing the query would
 * expect on top. A judgement the engine fails stays here (as it.fails, with the reason) rather than
 * being weakened until it passes.
 */

const SEEN = new Date("2026-03-11T08:00:00Z");

async function loadSample(db: Database): Promise<void> {
  const papers = await samplePapers();
  expect(papers).toHaveLength(100);
  expect(await createStore(db).papers.upsert(papers, SEEN)).toEqual({ inserted: 100, updated: 0 });
}

async function titlesFor(db: Database, query: string, limit = 10): Promise<string[]> {
  const outcome = await searchPapers(createStore(db).papers, query, { limit });
  return outcome.papers.map((p) => p.title);
}

// Title prefixes, unique within the sample.
const ZIPVL = "ZipVL: Efficient Large Vision-Language Models";
const SCISSORHANDS = "Scissorhands: Exploiting the Persistence";
const EXPERTFLOW = "ExpertFlow: Optimized Expert Activation";
const EXPERT_AFFINITY = "Exploiting Inter-Layer Expert Affinity for Accelerating Mixture-of-Experts";
const MOE_SURVEY = "A Survey on Inference Optimization Techniques for Mixture of Experts Models";
const SPLITWISE = "Splitwise: Efficient generative LLM inference";
const BLOCK_TRANSFORMER = "Block Transformer: Global-to-Local Language Modeling for Fast Inference";
const GPIPE = "GPipe: Efficient Training of Giant Neural Networks using Pipeline Parallelism";
const BALANCING_PP = "Balancing Pipeline Parallelism with Vocabulary Parallelism";
const FLASH_IO = "The I/O Complexity of Attention, or How Optimal is Flash Attention?";
const FLASH_ATTENTION_2 = "FlashAttention-2: Faster Attention";
const MEGATRON = "Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM";
const FRONTIER = "Optimizing Distributed Training on Frontier for Large Language Models";
const CO2 = "CO2: Efficient Distributed Training";
const DISTSERVE = "DistServe: Disaggregating Prefill and Decoding";
const NANOFLOW = "NanoFlow: Towards Optimal Large Language Model Serving Throughput";
const TPI_LLM = "TPI-LLM: Serving 70B-scale LLMs";
const DEEP_INTEREST = "Deep Interest Network for Click-Through Rate Prediction";
const BEV_DEPTH = "Parametric Depth Based Feature Representation Learning";
const LIP_TO_SPEECH = "NaturalL2S: End-to-End High-quality Multispeaker Lip-to-Speech Synthesis";
const BD_KD = "BD-KD: Balancing the Divergences for Online Knowledge Distillation";
const SUPERPIPELINE = "Superpipeline: A Universal Approach for Reducing GPU Memory Usage";
const ICL = "General-Purpose In-Context Learning by Meta-Learning Transformers";

interface Judgement {
  query: string;
  /** How many results the judgement looks at. */
  within: number;
  /** Titles (by prefix) that must all be among the first `within` results. */
  include?: string[];
  /** A pattern every one of the first `within` titles must match. */
  every?: RegExp;
}

const JUDGEMENTS: Judgement[] = [
  // Eight papers have "compression" (or compress/compressed) in the title: those come first.
  { query: "compression", within: 3, every: /compress/i },
  { query: "KV cache compression", within: 3, include: [ZIPVL, SCISSORHANDS] },
  { query: "KV-cache compression", within: 3, include: [ZIPVL, SCISSORHANDS] },
  { query: "kv cache", within: 3, include: [ZIPVL, SCISSORHANDS] },
  { query: "mixture of experts inference", within: 3, include: [EXPERTFLOW, EXPERT_AFFINITY, MOE_SURVEY] },
  { query: "MoE inference", within: 3, include: [EXPERTFLOW, EXPERT_AFFINITY, MOE_SURVEY] },
  { query: "mixture-of-experts inference", within: 3, include: [EXPERTFLOW, EXPERT_AFFINITY, MOE_SURVEY] },
  { query: "papers about making LLM inference faster", within: 5, include: [SPLITWISE, BLOCK_TRANSFORMER] },
  // Six titles name the information bottleneck (one as "information-bottleneck").
  { query: "information bottleneck", within: 5, every: /information[ -]bottleneck/i },
  { query: "concept bottleneck models", within: 3, every: /concept bottleneck model/i },
  { query: "what's new on concept bottlenecks?", within: 4, every: /concept bottleneck/i },
  { query: "pipeline parallelism", within: 3, include: [GPIPE, BALANCING_PP] },
  { query: "flash attention", within: 3, include: [FLASH_IO, FLASH_ATTENTION_2] },
  { query: "distributed training on GPUs", within: 5, include: [MEGATRON, FRONTIER, CO2] },
  { query: "LLM serving", within: 3, include: [DISTSERVE, NANOFLOW, TPI_LLM] },
  { query: "CTR prediction", within: 1, include: [DEEP_INTEREST] },
  { query: "click-through rate prediction", within: 1, include: [DEEP_INTEREST] },
  { query: "BEV", within: 1, include: [BEV_DEPTH] },
  { query: "bird's eye view segmentation", within: 1, include: [BEV_DEPTH] },
  { query: "text to speech", within: 1, include: [LIP_TO_SPEECH] },
  { query: "knowledge distillation", within: 1, include: [BD_KD] },
  { query: "GPU memory", within: 3, include: [SUPERPIPELINE] },
  // Typos: corrected to the corpus's words, ranked like the right spelling.
  { query: "compresion", within: 3, every: /compress/i },
  { query: "bottlenek", within: 5, every: /bottleneck/i },
  { query: "paralelism", within: 3, every: /parallel/i },
  { query: "KV cache compresion", within: 3, include: [ZIPVL, SCISSORHANDS] },
  { query: "concept bottlenek models", within: 3, every: /concept bottleneck model/i },
];

function describeMiss(judgement: Judgement, titles: string[]): string {
  return `"${judgement.query}" top ${judgement.within}:\n  ${titles.slice(0, judgement.within).join("\n  ")}`;
}

function expectJudgement(judgement: Judgement, titles: string[]): void {
  const top = titles.slice(0, judgement.within);
  expect(top.length, describeMiss(judgement, titles)).toBe(judgement.within);
  for (const prefix of judgement.include ?? []) {
    expect(
      top.some((title) => title.startsWith(prefix)),
      `${prefix} missing from ${describeMiss(judgement, titles)}`,
    ).toBe(true);
  }
  if (judgement.every) {
    for (const title of top) expect(title, describeMiss(judgement, titles)).toMatch(judgement.every);
  }
}

describe("the judged query set refers to papers of the sample", () => {
  it("names only titles that exist, once each", async () => {
    const titles = (await samplePapers()).map((p) => p.title);
    const prefixes = JUDGEMENTS.flatMap((j) => j.include ?? []).concat(ICL);
    for (const prefix of new Set(prefixes)) {
      expect(
        titles.filter((title) => title.startsWith(prefix)),
        prefix,
      ).toHaveLength(1);
    }
  });
});

describeEachDatabase("search relevance on the sample page", (t) => {
  beforeEach(async () => {
    await loadSample(t.db);
  });

  it.each(JUDGEMENTS.map((j) => [j.query, j] as const))("%s", async (_query, judgement) => {
    expectJudgement(judgement, await titlesFor(t.db, judgement.query));
  });

  it("ranks a misspelled query exactly like the right spelling", async () => {
    for (const [typo, right] of [
      ["compresion", "compression"],
      ["bottlenek", "bottleneck"],
      ["paralelism", "parallelism"],
    ] as const) {
      expect(await titlesFor(t.db, typo), typo).toEqual(await titlesFor(t.db, right));
    }
  });

  it("says which words it corrected", async () => {
    const outcome = await searchPapers(createStore(t.db).papers, "compresion", { limit: 5 });
    expect(outcome.corrections.get("compresion")?.[0]).toBe("compression");
    // Only the closest words: "transformed" is two edits from "transfromer", "transformer" one swap.
    const swapped = await searchPapers(createStore(t.db).papers, "transfromer", { limit: 5 });
    expect(swapped.corrections.get("transfromer")).toEqual(["transformer"]);
    const right = await searchPapers(createStore(t.db).papers, "compression", { limit: 5 });
    expect(right.corrections.size).toBe(0);
  });

  it("returns nothing, without failing, for queries of nothing but operators or stop words", async () => {
    for (const query of ["a & !b | c:*", "<-> :* !!! ((", "the of and", "what's new?", ""]) {
      await expect(titlesFor(t.db, query), query).resolves.toEqual([]);
    }
  });

  it("searches SQL and tsquery text as plain words", async () => {
    // "drop" and "table" are ordinary words here; nothing is executed.
    expect(await titlesFor(t.db, "'; drop table papers; --")).toEqual(
      await titlesFor(t.db, "drop table papers"),
    );
    const operators = await titlesFor(t.db, "compression:* & !bottleneck | kv");
    expect(operators.length).toBeGreaterThan(0);
    expect(operators).toEqual(await titlesFor(t.db, "compression bottleneck kv"));
    expect(await createStore(t.db).papers.count()).toBe(100);
  });

  // BUG (src/core/search/search-papers.ts, phraseDocs + src/db/corpus-words.ts, WORD): a concept's
  // document frequency is the minimum over all words of each alternative, but search_terms only holds
  // words of 3+ characters, so any alternative containing "in", "of", "to", "kv"… counts 0 documents.
  // "in-context learning" has the alternatives "icl" and "in context learning": both 0, so the concept
  // is dropped as unknown and the search returns nothing, although the sample has "General-Purpose
  // In-Context Learning by Meta-Learning Transformers" (the tsquery alone finds it). The same hits
  // "chain of thought" and would hit "mixture of experts" in a corpus that never says "MoE".
  // Fix: in phraseDocs, skip words the corpus dictionary cannot hold (shorter than 3 characters, stop
  // words), or ask the database for the phrase's document count.
  it("finds the in-context learning paper for 'in-context learning'", async () => {
    expectJudgement(
      { query: "in-context learning", within: 1, include: [ICL] },
      await titlesFor(t.db, "in-context learning"),
    );
  });

  // BUG (src/db/paper-store.ts similarWords, used by search-papers.ts): every word the corpus lacks is
  // treated as a typo and replaced by trigram neighbours, however far ("protein" -> "protocol",
  // "promoted"; "folding" -> "folds", "following"), so a topic the library does not have returns
  // unrelated papers (first: "NAS evaluation is frustratingly hard") instead of "No papers found".
  // Fix: accept a correction only within a small edit distance (e.g. levenshtein <= 2, or <= 1 for
  // words under 6 letters) on top of the trigram prefilter.
  it("finds nothing for a topic the sample does not cover ('protein folding')", async () => {
    expect(await titlesFor(t.db, "protein folding")).toEqual([]);
  });
});

describe.runIf(Boolean(process.env.TEST_DATABASE_URL))("the same ranking on PGlite and on Postgres", () => {
  it("orders every judged query's results identically", async () => {
    const pglite = await freshPglite();
    const server = await freshPostgres(process.env.TEST_DATABASE_URL as string);
    try {
      await loadSample(pglite);
      await loadSample(server.db);
      const queries = [
        ...JUDGEMENTS.map((j) => j.query),
        "in-context learning",
        "protein folding",
        "attention",
      ];
      for (const query of queries) {
        const onPglite = await searchPapers(createStore(pglite).papers, query, { limit: 10 });
        const onServer = await searchPapers(createStore(server.db).papers, query, { limit: 10 });
        expect(
          onServer.papers.map((p) => p.id),
          query,
        ).toEqual(onPglite.papers.map((p) => p.id));
        for (const [i, paper] of onServer.papers.entries()) {
          expect(paper.score, `${query} #${i + 1}`).toBeCloseTo(onPglite.papers[i]?.score ?? Number.NaN, 6);
        }
      }
    } finally {
      await pglite.close();
      await server.drop();
    }
  });
});
