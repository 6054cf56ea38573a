import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.js";
import type { PaperStore } from "../../src/core/ports.js";
import { LiveSearchIndex } from "../../src/core/search/live-search-index.js";
import { relatedPapers } from "../../src/core/search/related-papers.js";
import { searchPapers } from "../../src/core/search/search-papers.js";
import { createStore } from "../../src/db/store.js";
import { samplePapers } from "../helpers/sample-papers.js";
import { describeEachDatabase } from "../helpers/test-databases.js";

const NOW = new Date("2026-01-15T00:00:00Z");
const quiet = { info() {}, warn() {}, error() {}, debug() {} };

/** Natural queries a researcher would type, and the papers of the sample that must come up, judged by hand. */
const JUDGED: { query: string; top: number; titles: string[] }[] = [
  {
    query: "information bottleneck",
    top: 5,
    titles: [
      "How Does Information Bottleneck Help Deep Learning?",
      "Cauchy-Schwarz Divergence Information Bottleneck for Regression",
      "Information Bottleneck Analysis of Deep Neural Networks via Lossy Compression",
    ],
  },
  {
    query: "KV-cache compression",
    top: 3,
    titles: [
      "Scissorhands: Exploiting the Persistence of Importance Hypothesis for LLM KV Cache Compression at Test Time",
      "ZipVL: Efficient Large Vision-Language Models with Dynamic Token Sparsification and KV Cache Compression",
    ],
  },
  {
    query: "compressing the key value cache",
    top: 3,
    titles: [
      "Scissorhands: Exploiting the Persistence of Importance Hypothesis for LLM KV Cache Compression at Test Time",
    ],
  },
  {
    query: "MoE inference",
    top: 3,
    titles: [
      "ExpertFlow: Optimized Expert Activation and Token Allocation for Efficient Mixture-of-Experts Inference",
      "A Survey on Inference Optimization Techniques for Mixture of Experts Models",
      "Exploiting Inter-Layer Expert Affinity for Accelerating Mixture-of-Experts Model Inference",
    ],
  },
  { query: "mixture of experts at scale", top: 3, titles: ["Tutel: Adaptive Mixture-of-Experts at Scale"] },
  {
    query: "what's new on making LLM inference faster?",
    top: 5,
    titles: ["Splitwise: Efficient generative LLM inference using phase splitting"],
  },
  {
    query: "concept bottleneck models",
    top: 3,
    titles: [
      "Post-hoc Concept Bottleneck Models",
      "Energy-Based Concept Bottleneck Models: Unifying Prediction, Concept Intervention, and Probabilistic Interpretations",
      "Sparse Concept Bottleneck Models: Gumbel Tricks in Contrastive Learning",
    ],
  },
  {
    query: "pipeline parallelism",
    top: 3,
    titles: [
      "GPipe: Efficient Training of Giant Neural Networks using Pipeline Parallelism",
      "Balancing Pipeline Parallelism with Vocabulary Parallelism",
    ],
  },
  {
    query: "flash attention",
    top: 3,
    titles: [
      "The I/O Complexity of Attention, or How Optimal is Flash Attention?",
      "FlashAttention-2: Faster Attention with Better Parallelism and Work Partitioning",
    ],
  },
  {
    query: "transfromer compresion",
    top: 1,
    titles: [
      "VTrans: Accelerating Transformer Compression with Variational Information Bottleneck based Pruning",
    ],
  },
  {
    query: "BEV object detection",
    top: 1,
    titles: [
      "Parametric Depth Based Feature Representation Learning for Object Detection and Segmentation in Bird's Eye View",
    ],
  },
  { query: "CTR prediction", top: 1, titles: ["Deep Interest Network for Click-Through Rate Prediction"] },
  {
    query: "knowledge distillation",
    top: 3,
    titles: ["BD-KD: Balancing the Divergences for Online Knowledge Distillation"],
  },
  {
    query: "LoRA",
    top: 3,
    titles: ["MoS: Unleashing Parameter Efficiency of Low-Rank Adaptation with Mixture of Shards"],
  },
  {
    query: "lip to speech synthesis",
    top: 1,
    titles: [
      "NaturalL2S: End-to-End High-quality Multispeaker Lip-to-Speech Synthesis with Differential Digital Signal Processing",
    ],
  },
  { query: "straggler mitigation", top: 1, titles: ["Sequential Gradient Coding For Straggler Mitigation"] },
  {
    query: "serving LLMs on edge devices",
    top: 3,
    titles: ["TPI-LLM: Serving 70B-scale LLMs Efficiently on Low-resource Edge Devices"],
  },
  {
    query: "explainable AI metrics",
    top: 3,
    titles: ["Concept-Based Explainable Artificial Intelligence: Metrics and Benchmarks"],
  },
  {
    query: "graph neural networks",
    top: 3,
    titles: [
      "GNNPipe: Scaling Deep GNN Training with Pipelined Model Parallelism",
      "Large Graph Convolutional Network Training with GPU-Oriented Data Communication Architecture",
    ],
  },
  {
    // Dataset distillation and distilled models are not knowledge distillation.
    query: "knowledge distillation",
    top: 2,
    titles: [
      "BD-KD: Balancing the Divergences for Online Knowledge Distillation",
      "Supervised Compression for Resource-Constrained Edge Computing Systems",
    ],
  },
  {
    // "explainable AI" is one concept, not "explainable" plus the word "AI".
    query: "explainable AI",
    top: 5,
    titles: [
      "Concept-Based Explainable Artificial Intelligence: Metrics and Benchmarks",
      "Energy-Based Concept Bottleneck Models: Unifying Prediction, Concept Intervention, and Probabilistic Interpretations",
    ],
  },
  {
    query: "checkpointing large language models",
    top: 3,
    titles: ["DataStates-LLM: Lazy Asynchronous Checkpointing for Large Language Models"],
  },
];

describeEachDatabase("search relevance on the 100-paper sample, in-process index", (t) => {
  let store: PaperStore;
  let index: LiveSearchIndex | undefined;

  let sample: Paper[];
  beforeAll(async () => {
    sample = await samplePapers();
  });
  // Tables are emptied before each test; the sample goes back in and the index follows the feed.
  beforeEach(async () => {
    store = createStore(t.db).papers;
    await store.upsert(sample, NOW);
    index ??= new LiveSearchIndex({ store, logger: quiet, pollMs: 0 });
    await index.start();
    await index.sync();
  });
  afterAll(() => index?.stop());

  it.each(JUDGED)("$query: the judged papers rank in the top $top", async ({ query, top, titles }) => {
    const found = await searchPapers(store, query, { limit: top, index, now: NOW });
    expect(index?.isReady).toBe(true);
    expect(found.papers.map((p) => p.title)).toEqual(expect.arrayContaining(titles));
  });

  it("says which words no paper has, answers nothing from typo guesses alone, and corrects a typo", async () => {
    // "protein" is in no paper: whatever is found matches "folding" alone, and the answer says so.
    const protein = await searchPapers(store, "protein folding", { limit: 5, index, now: NOW });
    expect(protein.missing).toEqual(["protein"]);
    // "proteen foldng": one word unknown, the other only a typo guess ("holding"?): nothing.
    const guesses = await searchPapers(store, "zorblax foldng", { limit: 5, index, now: NOW });
    expect(guesses.papers).toEqual([]);
    const typo = await searchPapers(store, "compresion", { limit: 5, index, now: NOW });
    expect(typo.corrections.get("compresion")).toContain("compression");
    expect(typo.papers[0]?.title).toMatch(/compress/i);
    // An unknown word beside a known one: the known one answers.
    const mixed = await searchPapers(store, "zorblax compression", { limit: 5, index, now: NOW });
    expect(mixed.papers[0]?.title).toMatch(/compress/i);
    expect(mixed.missing).toEqual(["zorblax"]);
  });

  it("ranks a word found only through a stem sibling below papers that say it", async () => {
    // The click-through-rate paper says "transformed" and "compressed", never "transformer": it is
    // no answer to "transformer compression", and papers titled with "Compression" are.
    const found = await searchPapers(store, "transformer compression", { limit: 8, index, now: NOW });
    const titles = found.papers.map((p) => p.title);
    expect(titles[0]).toMatch(/^VTrans/);
    const din = titles.indexOf("Deep Interest Network for Click-Through Rate Prediction");
    const compression = titles.filter((title) => /\bcompression\b/i.test(title));
    expect(compression.length).toBeGreaterThanOrEqual(3);
    for (const title of compression) if (din >= 0) expect(titles.indexOf(title)).toBeLessThan(din);
    // A plural is the word as asked: "pruning transformers" still puts the transformer-pruning paper first.
    const plural = await searchPapers(store, "pruning transformers", { limit: 1, index, now: NOW });
    expect(plural.papers[0]?.title).toMatch(/^VTrans/);
  });

  it("gives more like this: papers sharing a paper's distinctive terms, not the paper itself", async () => {
    const found = await searchPapers(store, "concept bottleneck", { limit: 10, index, now: NOW });
    const paper = found.papers.find((p) => p.title === "Post-hoc Concept Bottleneck Models");
    if (!paper) throw new Error("paper missing");
    const related = await relatedPapers(store, paper, { limit: 3, index, now: NOW });
    expect(related.map((p) => p.id)).not.toContain(paper.id);
    expect(related.filter((p) => /concept bottleneck/i.test(p.title)).length).toBeGreaterThanOrEqual(2);

    const moe = (await searchPapers(store, "expert affinity", { limit: 1, index, now: NOW })).papers[0];
    if (!moe) throw new Error("paper missing");
    const similar = await relatedPapers(store, moe, { limit: 3, index, now: NOW });
    expect(similar.map((p) => p.title).every((title) => /mixture.of.experts/i.test(title))).toBe(true);
  });
});
