import { expect, it } from "vitest";
import { analyzeQuery } from "../../src/core/search/analyze-query.js";
import { decodeSnapshot, encodeSnapshot } from "../../src/core/search/index-snapshot.js";
import { PaperIndex } from "../../src/core/search/paper-index.js";
import { queryIndex } from "../../src/core/search/query-index.js";
import { DocumentRanker } from "../../src/core/search/rank-documents.js";
import { TypoCorrections } from "../../src/core/search/typo-corrections.js";
import { samplePapers } from "../helpers/sample-papers.js";

const NOW = new Date("2026-01-15T00:00:00Z");
const QUERIES = [
  "gumbel softmax concept bottleneck",
  "kv cache compression",
  "large language model inference",
  "mixture of experts routing",
  "bird eye view depth",
  "efficient training of vision transformers",
  "diffusion video generation",
  "vision transformer",
  "speech recognition",
  "low rank adaptation",
  "reinforcement learning reasoning",
];

/**
 * 30 copies of the sample with words swapped between papers: thousands of documents over several
 * segments, common terms with long lists, and papers removed and replaced along the way.
 */
async function mixedIndex(
  start = new PaperIndex(),
  /** Called after each copy; returns the index to go on with (a snapshot of it, say). */
  after: (index: PaperIndex, copy: number) => PaperIndex = (index) => index,
): Promise<PaperIndex> {
  const sample = await samplePapers();
  let index = start;
  for (let copy = 0; copy < 30; copy++) {
    sample.forEach((paper, i) => {
      const other = sample[(i * 7 + copy) % sample.length] as (typeof sample)[number];
      index.upsert({
        id: `${copy}-${paper.id}`,
        title:
          copy % 2 === 0 ? paper.title : `${paper.title} ${other.title.split(" ").slice(0, 3).join(" ")}`,
        abstract: copy % 3 === 0 ? paper.abstract : `${other.abstract.slice(0, 400)} ${paper.abstract}`,
        aiSummary: null,
        aiKeywords: [],
        hfUpvotes: (i * copy) % 50,
        bornAt: new Date(NOW.getTime() - ((i + copy) % 120) * 86_400_000),
      });
      if ((i + copy) % 11 === 0 && copy > 0) index.remove(`${copy - 1}-${paper.id}`);
    });
    index = after(index, copy);
  }
  return index;
}

const restored = (index: PaperIndex) =>
  decodeSnapshot(Buffer.concat(encodeSnapshot(index, null, "h")), "h", 64)?.index as PaperIndex;

it("ranks the same whether the papers sit in one segment or in many, sealed and restored", async () => {
  const extra = {
    id: "extra",
    title: "Mixture of experts routing for inference",
    abstract: "kv cache compression",
    aiSummary: null,
    aiKeywords: [],
    hfUpvotes: 3,
    bornAt: NOW,
  };
  const whole = await mixedIndex(new PaperIndex(), (index, copy) => {
    if (copy === 9) index.upsert(extra);
    return index;
  });
  // Segments of 64 papers, and restarts: after every copy, and twice one paper apart.
  const split = await mixedIndex(new PaperIndex(64), (index, copy) => {
    if (copy !== 9) return restored(index);
    const next = restored(index);
    next.upsert(extra);
    return restored(next);
  });
  expect(whole.segments).toHaveLength(0);
  expect(split.segments.length).toBeGreaterThan(30);
  // A restart goes on filling the last segment: restarts leave no small segments behind.
  expect(split.segments.every((segment) => segment.span === 64)).toBe(true);
  expect(split.open.span).toBeLessThan(64);
  const parts = (index: PaperIndex) => ({
    index,
    ranker: new DocumentRanker(index),
    typos: new TypoCorrections(index),
  });
  for (const text of QUERIES) {
    const query = analyzeQuery(text);
    const expected = queryIndex(parts(whole), query, 45, NOW).hits;
    expect(expected.length, text).toBeGreaterThan(0);
    expect(queryIndex(parts(split), query, 45, NOW).hits, text).toEqual(expected);
  }
});

it("adds a common term to the papers already found the same by galloping as by scanning", async () => {
  const index = await mixedIndex();
  const typos = new TypoCorrections(index);
  // Galloping whenever the found documents are fewer than a term's postings, so it runs here a lot.
  const galloping = new DocumentRanker(index, { gallopRatio: 1 });
  const scanning = new DocumentRanker(index, { gallop: false });
  for (const text of QUERIES) {
    const query = analyzeQuery(text);
    const fast = queryIndex({ index, ranker: galloping, typos }, query, 45, NOW).hits;
    const reference = queryIndex({ index, ranker: scanning, typos }, query, 45, NOW).hits;
    expect(fast.length, text).toBeGreaterThan(0);
    expect(fast, text).toEqual(reference);
  }
  expect(galloping.gallops).toBeGreaterThan(0);
  expect(scanning.gallops).toBe(0);
});

it("keeps the same best papers whatever k: the best 15 are the first 15 of the best 45", async () => {
  const index = await mixedIndex();
  const typos = new TypoCorrections(index);
  const ranker = new DocumentRanker(index);
  for (const text of QUERIES) {
    const query = analyzeQuery(text);
    const best45 = queryIndex({ index, ranker, typos }, query, 45, NOW).hits;
    const best15 = queryIndex({ index, ranker, typos }, query, 15, NOW).hits;
    expect(best45.length, text).toBeGreaterThan(15);
    expect(best15, text).toEqual(best45.slice(0, 15));
  }
});

it("leaves out a typed form nearly every paper has, which only adds the same sliver to each", async () => {
  const index = new PaperIndex();
  for (const paper of await samplePapers())
    index.upsert({
      id: paper.id,
      title: paper.title,
      abstract: `${paper.abstract} A model.`,
      aiSummary: null,
      aiKeywords: [],
      hfUpvotes: paper.hfUpvotes,
      bornAt: NOW,
    });
  const typos = new TypoCorrections(index);
  const query = analyzeQuery("large language model inference");
  // "model" is typed inside the concept "large language model" (a bonus term) and is in every paper.
  const without = queryIndex(
    { index, ranker: new DocumentRanker(index, { ubiquitousFrom: 0 }), typos },
    query,
    10,
    NOW,
  );
  const withIt = queryIndex({ index, ranker: new DocumentRanker(index), typos }, query, 10, NOW);
  expect(without.hits.map((h) => h.id)).toEqual(withIt.hits.map((h) => h.id));
  without.hits.forEach((hit, i) => {
    expect(hit.score).toBeLessThan((withIt.hits[i] as { score: number }).score);
  });
});

it("prunes papers that cannot make the best k without changing the answer, ties included", async () => {
  const twin = (id: string) => ({
    id,
    title: "Mixture of experts routing for kv cache compression",
    abstract: "Large language model inference with mixture of experts routing and kv cache compression.",
    aiSummary: null,
    aiKeywords: [],
    hfUpvotes: 7,
    bornAt: NOW,
  });
  // Segments of 64 papers, newest read first: the same best paper, tied, sits in the first segment and
  // the last, and the tie must go to the smaller id in an older segment.
  const index = await mixedIndex(new PaperIndex(64), (index, copy) => {
    if (copy === 0) index.upsert(twin("twin-a"));
    if (copy === 29) index.upsert(twin("twin-b"));
    return index;
  });
  expect(index.segments.length).toBeGreaterThan(30);
  const typos = new TypoCorrections(index);
  const pruning = new DocumentRanker(index);
  const reference = new DocumentRanker(index, { prune: false });
  for (const text of [...QUERIES, "mixture of experts routing kv cache compression"])
    for (const k of [1, 15, 45]) {
      const query = analyzeQuery(text);
      const expected = queryIndex({ index, ranker: reference, typos }, query, k, NOW).hits;
      expect(expected.length, text).toBeGreaterThan(0);
      expect(queryIndex({ index, ranker: pruning, typos }, query, k, NOW).hits, `${text}, k=${k}`).toEqual(
        expected,
      );
    }
  const best = queryIndex(
    { index, ranker: pruning, typos },
    analyzeQuery("mixture of experts routing kv cache compression"),
    1,
    NOW,
  );
  expect(best.hits.map((h) => h.id)).toEqual(["twin-a"]);
  // Pruning skipped whole terms in some segments: fewer postings read for the same answers.
  expect(pruning.postingsRead).toBeLessThan(reference.postingsRead * 0.9);
});

it("drops a segment's dead postings once a fifth of its papers changed text, and ranks as a fresh index", async () => {
  const sample = await samplePapers();
  const version = (paper: (typeof sample)[number], copy: number, edited: boolean) => ({
    id: `${copy}-${paper.id}`,
    title: paper.title,
    abstract: edited ? `${paper.abstract} Revised with kv cache compression.` : paper.abstract,
    aiSummary: null,
    aiKeywords: [],
    hfUpvotes: paper.hfUpvotes,
    bornAt: NOW,
  });
  const history = new PaperIndex(64);
  const fresh = new PaperIndex(64);
  for (const copy of [0, 1]) for (const paper of sample) history.upsert(version(paper, copy, false));
  const postings = (index: PaperIndex) => index.segments.reduce((sum, s) => sum + s.docs.length, 0);
  const before = postings(history);
  // 40 papers of the first segment get a new text: their old documents are deleted.
  for (const paper of sample.slice(0, 40)) history.upsert(version(paper, 0, true));
  for (const copy of [0, 1])
    sample.forEach((paper, i) => {
      fresh.upsert(version(paper, copy, copy === 0 && i < 40));
    });
  const first = history.segments[0] as { deleted: number; span: number };
  expect(first.deleted).toBeLessThanOrEqual(64 * 0.2);
  expect(postings(history)).toBeLessThan(before);
  const typos = new TypoCorrections(history);
  for (const text of QUERIES) {
    const query = analyzeQuery(text);
    const expected = queryIndex(
      { index: fresh, ranker: new DocumentRanker(fresh), typos: new TypoCorrections(fresh) },
      query,
      15,
      NOW,
    ).hits;
    expect(expected.length, text).toBeGreaterThan(0);
    expect(
      queryIndex({ index: history, ranker: new DocumentRanker(history), typos }, query, 15, NOW).hits,
    ).toEqual(expected);
  }
});
