import { type PaperIndex, type PostingRun, UPVOTE_BOOST } from "./paper-index.js";
import { TopK } from "./top-documents.js";

/** BM25F: a title word weighs TITLE_WEIGHT body words; titles are short, so length matters less there. */
const K1 = 1.2;
const TITLE_WEIGHT = 2.5;
const TITLE_B = 0.3;
const BODY_B = 0.75;
/** A paper matching a fraction f of the query's weight keeps COVERAGE_FLOOR + (1 - floor) * f of its score. */
const COVERAGE_FLOOR = 0.35;
/** A paper of today is lifted by this much, one of three months ago by a third of it. */
export const RECENCY_BOOST = 0.04;
const RECENCY_DAYS = 90;
/** See rank(): concepts in more than this share of a library of at least COMMON_FROM papers. */
const COMMON = 0.1;
const COMMON_FROM = 50_000;
/**
 * In a library of at least COMMON_FROM papers, an exact form typed (a bonus term) that is in more than
 * this share of the papers is left out: at its weight it tells papers apart by under 1% of a score (idf
 * below 0.1), and it would cost a pass over nearly every paper ("model" in "large language model").
 */
const UBIQUITOUS = 0.9;

/** BM25's idf: rare concepts weigh more, and a concept in every paper weighs almost nothing. */
export function idf(total: number, df: number): number {
  return Math.log(1 + (total - df + 0.5) / (df + 0.5));
}

/**
 * Found documents are galloped to, instead of scanning a term's postings, when this many times fewer:
 * a scan reads memory in order, a gallop jumps, so it pays only for far fewer documents. 64 beat 8 and
 * scanning alone in an in-process trial at 1,000,000 papers (a script, not one of bench/).
 */
const GALLOP_RATIO = 64;

/** Whether a[from..to) is in ascending order. */
function ascending(a: Int32Array, from: number, to: number): boolean {
  for (let i = from + 1; i < to; i++) if ((a[i - 1] as number) > (a[i] as number)) return false;
  return true;
}

/** The first index in a[from..to) whose value is at least `value` (a is sorted there). */
function lowerBound(a: Int32Array, from: number, to: number, value: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The first index in docs[from..to) at or past document `local`, or `to`: galloping (steps of 1, 2,
 * 4…), then a binary search of the last stride.
 */
function gallopTo(docs: Uint16Array, from: number, to: number, local: number): number {
  if ((docs[from] as number) >= local) return from;
  let lo = from;
  let step = 1;
  while (lo + step < to && (docs[lo + step] as number) < local) {
    lo += step;
    step *= 2;
  }
  let hi = Math.min(lo + step, to);
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if ((docs[mid] as number) < local) lo = mid;
    else hi = mid;
  }
  return hi;
}

export interface WeightedTerm {
  termId: number;
  /** 1 for the concept asked for; less for a bonus term (the exact form typed). */
  weight: number;
  /** Only adds to papers some other term found (the exact form typed, on top of its concept). */
  bonus?: boolean;
}

/** One concept of the query: a paper matches it when it has any of its terms. */
export interface Clause {
  terms: WeightedTerm[];
}

interface ScoredTerm {
  termId: number;
  weight: number;
  bonus: boolean;
  df: number;
  idf: number;
}

export interface RankedDocument {
  doc: number;
  score: number;
}

/**
 * Scores every posting of the query's terms (term at a time, into one accumulator array) and keeps the
 * best `k` documents by text score times the coverage of the query times a light static boost (upvotes,
 * recency). Ties go to the smaller paper id, so the order never depends on insertion history.
 */
export class DocumentRanker {
  private scores = new Float64Array(0);
  private masks = new Uint16Array(0);
  private touched = new Int32Array(0);
  private titleNorm = new Float32Array(0);
  private bodyNorm = new Float32Array(0);
  private normsAt = -1;
  /** touched[0..sortedUpTo) is in document order (for addToFound). */
  private sortedUpTo = 0;
  private recencyDay = Number.NaN;
  private recency = new Float32Array(RECENCY_DAYS * 20);

  /** Term lists galloped through instead of scanned (see addToFound): for tests and tuning. */
  gallops = 0;

  constructor(
    private readonly index: PaperIndex,
    /**
     * gallop: false scans every list (the reference the galloping path must agree with); a lower
     * gallopRatio gallops more often, and ubiquitousFrom leaves out ubiquitous typed forms from that
     * many papers on (tests, on a small index).
     */
    private readonly options: { gallop?: boolean; gallopRatio?: number; ubiquitousFrom?: number } = {},
  ) {}

  rank(clauses: Clause[], k: number, today: number): RankedDocument[] {
    const index = this.index;
    if (index.liveDocs === 0 || clauses.length === 0) return [];
    this.prepare(today);
    const clauseWeight = new Float64Array(clauses.length);
    const ubiquitousFrom = this.options.ubiquitousFrom ?? COMMON_FROM;
    const ubiquitousDf =
      index.liveDocs >= ubiquitousFrom ? index.liveDocs * UBIQUITOUS : Number.POSITIVE_INFINITY;
    const terms = clauses.map((clause) =>
      clause.terms.flatMap((t) => {
        const { termId, weight } = t;
        const df = index.documentFrequency(termId);
        return df === 0 || (t.bonus === true && df > ubiquitousDf)
          ? []
          : [{ termId, weight, bonus: t.bonus === true, df, idf: idf(index.liveDocs, df) }];
      }),
    );
    terms.forEach((list, c) => {
      for (const t of list) clauseWeight[c] = Math.max(clauseWeight[c] as number, t.idf * t.weight);
    });
    // Rarest concept first. In a big library, a concept in more than COMMON of the papers only adds to
    // papers a rarer concept already found: its postings would otherwise bring in (and cost) a large
    // share of the library, none of which could beat a paper that also has the rarer concept.
    const order = terms
      .map((_, c) => c)
      .sort((a, b) => (clauseWeight[b] as number) - (clauseWeight[a] as number) || a - b);
    const commonDf = index.liveDocs >= COMMON_FROM ? index.liveDocs * COMMON : Number.POSITIVE_INFINITY;
    // The concepts asked for first; the exact forms typed (bonus terms) only add to papers found by some
    // concept: a paper with none of the query's concepts is no answer, whatever bonus it would get.
    const passes: { c: number; term: ScoredTerm }[] = [];
    for (const bonus of [false, true])
      for (const c of order)
        for (const term of terms[c] as ScoredTerm[]) if (term.bonus === bonus) passes.push({ c, term });
    const common = terms.map((list, c) => c !== order[0] && list.every((t) => t.bonus || t.df > commonDf));
    let touchedCount = 0;
    this.sortedUpTo = 0;
    for (const { c, term } of passes) {
      const addOnly = touchedCount > 0 && (term.bonus || (common[c] as boolean));
      const scale = term.idf * term.weight * (K1 + 1);
      const bit = 1 << c;
      // Decided per term, not per run: a run's length depends on how the postings are segmented.
      const gallop =
        addOnly &&
        this.options.gallop !== false &&
        touchedCount * (this.options.gallopRatio ?? GALLOP_RATIO) < term.df;
      for (const run of index.runs(term.termId)) {
        if (gallop) this.addToFound(run, scale, bit, touchedCount);
        else touchedCount = this.scan(run, scale, bit, touchedCount, addOnly);
      }
      if (gallop) this.gallops++;
    }
    return this.collect(clauseWeight, touchedCount, k, today);
  }

  /**
   * Adds a term's postings to the documents found so far when they are few beside the postings: each
   * found document is looked up by galloping through the (document-ordered) postings, so a common term
   * costs about found * log(postings / found) steps instead of one per posting.
   */
  private addToFound(run: PostingRun, scale: number, bit: number, touchedCount: number): void {
    const { docs, freqs, to } = run;
    const base = run.segment.base;
    const { scores, masks, touched, titleNorm, bodyNorm } = this;
    if (this.sortedUpTo !== touchedCount) {
      // A scan adds documents in document order, so after one scanned term they need no sort.
      if (!ascending(touched, Math.max(this.sortedUpTo - 1, 0), touchedCount))
        touched.subarray(0, touchedCount).sort();
      this.sortedUpTo = touchedCount;
    }
    // From the run's first document: the open segment gives a term in many short runs.
    let t = lowerBound(touched, 0, touchedCount, base + (docs[run.from] as number));
    let i = run.from;
    while (t < touchedCount && i < to) {
      const doc = touched[t++] as number;
      const local = doc - base;
      i = gallopTo(docs, i, to, local);
      if (i >= to) break;
      if (docs[i] !== local) continue;
      const value = freqs[i++] as number;
      // Found documents are live: deleted ones never get in.
      const tf = ((value >>> 5) & 7) * (titleNorm[doc] as number) + (value & 31) * (bodyNorm[doc] as number);
      masks[doc] = (masks[doc] as number) | bit;
      scores[doc] = (scores[doc] as number) + (scale * tf) / (K1 + tf);
    }
  }

  private scan(
    { segment, docs, freqs, from, to }: PostingRun,
    scale: number,
    bit: number,
    touchedCount: number,
    /** Only add to documents already found. */
    addOnly: boolean,
  ): number {
    const { scores, masks, touched, titleNorm, bodyNorm } = this;
    const live = this.index.docs.live;
    const base = segment.base;
    let count = touchedCount;
    if (segment.deleted === 0 && !addOnly) {
      // Most postings of most queries come here: no branch but the one that records a new document.
      for (let i = from; i < to; i++) {
        const doc = base + (docs[i] as number);
        const value = freqs[i] as number;
        const tf =
          ((value >>> 5) & 7) * (titleNorm[doc] as number) + (value & 31) * (bodyNorm[doc] as number);
        const mask = masks[doc] as number;
        if (mask === 0) touched[count++] = doc;
        masks[doc] = mask | bit;
        scores[doc] = (scores[doc] as number) + (scale * tf) / (K1 + tf);
      }
      return count;
    }
    const checkLive = segment.deleted > 0;
    for (let i = from; i < to; i++) {
      const doc = base + (docs[i] as number);
      if (checkLive && live[doc] === 0) continue;
      const mask = masks[doc] as number;
      if (addOnly && mask === 0) continue;
      const value = freqs[i] as number;
      const tf = ((value >>> 5) & 7) * (titleNorm[doc] as number) + (value & 31) * (bodyNorm[doc] as number);
      if (mask === 0) touched[count++] = doc;
      masks[doc] = mask | bit;
      scores[doc] = (scores[doc] as number) + (scale * tf) / (K1 + tf);
    }
    return count;
  }

  private collect(
    clauseWeight: Float64Array,
    touchedCount: number,
    k: number,
    today: number,
  ): RankedDocument[] {
    const { scores, masks, touched, recency } = this;
    const { ids, upvoteBoost, birthDay } = this.index.docs;
    const total = clauseWeight.reduce((a, b) => a + b, 0) || 1;
    const coverage = new Float64Array(1 << clauseWeight.length);
    for (let mask = 1; mask < coverage.length; mask++) {
      let covered = 0;
      for (let c = 0; c < clauseWeight.length; c++) if (mask & (1 << c)) covered += clauseWeight[c] as number;
      coverage[mask] = COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * (covered / total);
    }
    const heap = new TopK(k, ids);
    // No static boost is larger (the margin covers rounding): a document whose text score times this
    // is below the k-th kept is passed over without reading its boosts.
    const largestBoost = (1 + UPVOTE_BOOST + RECENCY_BOOST) * (1 + 1e-9);
    for (let i = 0; i < touchedCount; i++) {
      const doc = touched[i] as number;
      const text = (scores[doc] as number) * (coverage[masks[doc] as number] as number);
      scores[doc] = 0;
      masks[doc] = 0;
      if (text * largestBoost < heap.floor) continue;
      const age = Math.min(Math.max(today - (birthDay[doc] as number), 0), recency.length - 1);
      heap.offer(doc, text * (1 + (upvoteBoost[doc] as number) + (recency[age] as number)));
    }
    return heap.sorted();
  }

  /** Sizes the accumulators and recomputes length norms when the index changed since the last query. */
  private prepare(today: number): void {
    const index = this.index;
    const size = index.docCount;
    if (this.scores.length < size) {
      const capacity = Math.max(size, Math.ceil(this.scores.length * 1.5), 1024);
      this.scores = new Float64Array(capacity);
      this.masks = new Uint16Array(capacity);
      this.touched = new Int32Array(capacity);
    }
    if (this.normsAt !== index.version) {
      if (this.titleNorm.length < size) {
        this.titleNorm = new Float32Array(this.scores.length);
        this.bodyNorm = new Float32Array(this.scores.length);
      }
      const avgTitle = index.titleTotal / Math.max(index.liveDocs, 1) || 1;
      const avgBody = index.bodyTotal / Math.max(index.liveDocs, 1) || 1;
      const { titleLength, bodyLength } = index.docs;
      for (let doc = 0; doc < size; doc++) {
        this.titleNorm[doc] =
          TITLE_WEIGHT / (1 - TITLE_B + (TITLE_B * (titleLength[doc] as number)) / avgTitle);
        this.bodyNorm[doc] = 1 / (1 - BODY_B + (BODY_B * (bodyLength[doc] as number)) / avgBody);
      }
      this.normsAt = index.version;
    }
    if (this.recencyDay !== today) {
      for (let age = 0; age < this.recency.length; age++)
        this.recency[age] = RECENCY_BOOST * Math.exp(-age / RECENCY_DAYS);
      this.recencyDay = today;
    }
  }
}
