import { describe, expect, it } from "vitest";
import type { IndexablePaper } from "../../src/core/ports.js";
import { analyzeQuery } from "../../src/core/search/analyze-query.js";
import { decodeSnapshot, encodeSnapshot } from "../../src/core/search/index-snapshot.js";
import { PaperIndex } from "../../src/core/search/paper-index.js";
import { queryIndex } from "../../src/core/search/query-index.js";
import { DocumentRanker } from "../../src/core/search/rank-documents.js";
import { TypoCorrections } from "../../src/core/search/typo-corrections.js";

const NOW = new Date("2026-01-15T00:00:00Z");

const paper = (
  id: string,
  title: string,
  abstract = "",
  extra: Partial<IndexablePaper> = {},
): IndexablePaper => ({
  id,
  title,
  abstract,
  aiSummary: null,
  aiKeywords: [],
  hfUpvotes: null,
  bornAt: new Date("2025-06-01T00:00:00Z"),
  ...extra,
});

function search(index: PaperIndex, text: string, k = 10) {
  const parts = { index, ranker: new DocumentRanker(index), typos: new TypoCorrections(index) };
  return queryIndex(parts, analyzeQuery(text), k, NOW);
}
const ids = (index: PaperIndex, text: string) => search(index, text).hits.map((h) => h.id);

const CORPUS: IndexablePaper[] = [
  paper(
    "a1",
    "KV-cache compression for long context LLMs",
    "We compress the key value cache of large language models.",
  ),
  paper("a2", "Mixture-of-Experts inference at scale", "Expert parallelism makes MoE serving faster."),
  paper(
    "a3",
    "Information bottleneck in deep networks",
    "The information bottleneck principle explains compression.",
  ),
  paper("a4", "A survey of graph neural networks", "GNNs for molecules and social graphs."),
  paper("a5", "Faster attention with tiling", "An IO-aware exact attention algorithm; information flows."),
  paper("a6", "Quantization of transformers", "Low bit weights and activations for transformer models."),
];

describe("the paper index", () => {
  it("treats hyphens, acronyms and their synonyms as one concept", () => {
    const index = new PaperIndex();
    for (const p of CORPUS) index.upsert(p);
    expect(ids(index, "KV cache")[0]).toBe("a1");
    expect(ids(index, "key-value caches")[0]).toBe("a1");
    expect(ids(index, "MoE")[0]).toBe("a2");
    expect(ids(index, "mixture of experts")[0]).toBe("a2");
    expect(ids(index, "GNN")[0]).toBe("a4");
  });

  it("ranks a title match above an abstract match", () => {
    const index = new PaperIndex();
    index.upsert(
      paper("body", "Learning representations", "We study compression of neural networks in depth."),
    );
    index.upsert(paper("title", "Compression of neural networks", "We study representations in depth."));
    expect(ids(index, "compression")).toEqual(["title", "body"]);
  });

  it("never lets upvotes or recency override a clearly better text match", () => {
    const index = new PaperIndex();
    index.upsert(paper("strong", "Information bottleneck theory", "The information bottleneck, revisited."));
    index.upsert(paper("popular", "Scaling laws", "A bottleneck of data.", { hfUpvotes: 5000, bornAt: NOW }));
    expect(ids(index, "information bottleneck")[0]).toBe("strong");
  });

  it("corrects typos from the corpus's own words", () => {
    const index = new PaperIndex();
    for (const p of CORPUS) index.upsert(p);
    const found = search(index, "quantisation of transfromers");
    expect(found.corrections.get("quantisation")).toContain("quantization");
    expect(found.corrections.get("transfromers")?.[0]).toBe("transformers");
    expect(found.hits[0]?.id).toBe("a6");
  });

  it("corrects a typo only to the closest words, not to others farther away", () => {
    const index = new PaperIndex();
    index.upsert(paper("t1", "Transformer compression", "A transformer, pruned."));
    index.upsert(paper("t2", "Features transformed", "The data is transformed twice."));
    index.upsert(paper("a1", "Sparse attention", "Attention over long inputs."));
    index.upsert(paper("r1", "Data retention", "Retention policies for logs."));
    // "transformer" is one swap away, "transformed" two edits (both are the stem "transform").
    expect(search(index, "transfromer").corrections.get("transfromer")).toEqual(["transformer"]);
    // "attention" is one letter away, "retention" two: a paper on retention is no answer.
    const found = search(index, "atention");
    expect(found.corrections.get("atention")).toEqual(["attention"]);
    expect(found.hits.map((h) => h.id)).toEqual(["a1"]);
  });

  it("orders the same whatever the insertion order, ties by id", () => {
    const twins = ["t3", "t1", "t2"].map((id) => paper(id, "Sparse attention", "Sparse attention."));
    const a = new PaperIndex();
    const b = new PaperIndex();
    for (const p of [...CORPUS, ...twins]) a.upsert(p);
    for (const p of [...twins, ...CORPUS].reverse()) b.upsert(p);
    // b also has history: a paper added and removed, another updated twice.
    b.upsert(paper("gone", "Sparse attention everywhere", "sparse sparse"));
    b.remove("gone");
    b.upsert({ ...(CORPUS[4] as IndexablePaper), title: "Old title" });
    b.upsert(CORPUS[4] as IndexablePaper);
    for (const query of ["sparse attention", "attention", "compression", "information"]) {
      expect(search(b, query).hits).toEqual(search(a, query).hits);
    }
    expect(ids(a, "sparse attention").slice(0, 3)).toEqual(["t1", "t2", "t3"]);
  });

  it("forgets a removed paper and re-indexes an updated one", () => {
    const index = new PaperIndex();
    for (const p of CORPUS) index.upsert(p);
    index.remove("a3");
    expect(ids(index, "information bottleneck")).not.toContain("a3");
    index.upsert(paper("a6", "Pruning of transformers", "Sparse weights."));
    expect(ids(index, "quantization")).not.toContain("a6");
    expect(ids(index, "pruning")).toContain("a6");
    expect(index.liveDocs).toBe(CORPUS.length - 1);
  });

  it("keeps the text when only upvotes change", () => {
    const index = new PaperIndex();
    index.upsert(CORPUS[0] as IndexablePaper);
    expect(index.upsert({ ...(CORPUS[0] as IndexablePaper), hfUpvotes: 40 })).toBe(false);
    expect(index.docCount).toBe(1);
  });

  it("in a big library, adds a very common concept only to papers a rarer one found", () => {
    const index = new PaperIndex();
    for (let i = 0; i < 60_000; i++)
      index.upsert(paper(`n${i}`, "Neural network", i % 6000 === 0 ? "gumbel" : ""));
    index.upsert(paper("loud", "Network network network", "network network"));
    const both = search(index, "gumbel network");
    expect(both.hits).toHaveLength(10);
    expect(both.hits.every((h) => Number(h.id.slice(1)) % 6000 === 0)).toBe(true);
    expect(search(index, "network").hits[0]?.id).toBe("loud");
  });

  it("round-trips through a snapshot, segments and deletions included", () => {
    const index = new PaperIndex();
    for (let i = 0; i < 300; i++)
      index.upsert(
        paper(`p${i}`, `Paper ${i} on ${["compression", "attention", "agents"][i % 3]}`, `word${i % 17}`),
      );
    index.remove("p7");
    const mark = { at: 123, removed: false, id: "p299" };
    const bytes = Buffer.concat(encodeSnapshot(index, mark, "h"));
    const restored = decodeSnapshot(bytes, "h");
    expect(restored?.mark).toEqual(mark);
    const copy = restored?.index as PaperIndex;
    for (const query of ["compression", "attention agents", "word3", "paper"])
      expect(search(copy, query).hits).toEqual(search(index, query).hits);
    expect(decodeSnapshot(bytes, "another configuration")).toBeNull();
    // The restored index goes on taking changes.
    copy.upsert(paper("new", "Compression everywhere", "compression"));
    copy.remove("p0");
    expect(ids(copy, "compression")[0]).toBe("new");
    expect(ids(copy, "compression")).not.toContain("p0");
  });

  it("keeps a snapshot the index at its mark while papers go on being added before it is written", () => {
    const index = new PaperIndex();
    const topic = (i: number) => ["compression", "attention", "agents"][i % 3];
    for (let i = 0; i < 500; i++) index.upsert(paper(`p${i}`, `Paper on ${topic(i)}`, `word${i % 17}`));
    const parts = encodeSnapshot(index, null, "h");
    const taken = Buffer.concat(parts);
    // Sharing the open segment's lists: these fill their free ends and outgrow (replace) them.
    for (let i = 500; i < 5_000; i++) index.upsert(paper(`p${i}`, `Paper on ${topic(i)}`, `word${i % 17}`));
    index.remove("p3");
    const written = Buffer.concat(parts);
    expect(written.equals(taken)).toBe(true);
    const restored = decodeSnapshot(written, "h")?.index as PaperIndex;
    const before = new PaperIndex();
    for (let i = 0; i < 500; i++) before.upsert(paper(`p${i}`, `Paper on ${topic(i)}`, `word${i % 17}`));
    expect(restored.liveDocs).toBe(500);
    for (const query of ["compression", "word4", "agents word3"])
      expect(search(restored, query).hits).toEqual(search(before, query).hits);
  });
});
