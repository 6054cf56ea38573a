import { type PaperIndex, type PostingRun, type ReadSegment, UPVOTE_BOOST } from "./paper-index.js";
import { ascending, gallopTo, lowerBound } from "./posting-search.js";
import { type Clause, K1, planRanking, type RankingPass } from "./ranking-plan.js";
import { TopK } from "./top-documents.js";

/** BM25F: a title word weighs TITLE_WEIGHT body words; titles are short, so length matters less there. */
const TITLE_WEIGHT = 2.5;
const TITLE_B = 0.3;
const BODY_B = 0.75;
/** A paper of today is lifted by this much, one of three months ago by a third of it. */
export const RECENCY_BOOST = 0.04;
const RECENCY_DAYS = 90;
/** No paper's static boost is larger (the margin covers rounding in the bounds that use it). */
const LARGEST_BOOST = (1 + UPVOTE_BOOST + RECENCY_BOOST) * (1 + 1e-9);

/**
 * Found documents are galloped to, instead of scanning a term's postings, when this many times fewer:
 * a scan reads memory in order, a gallop jumps, so it pays only for far fewer documents. With
 * accumulators the size of a segment, 16 beat 64 on the narrow queries of bench:search and tied on
 * the broad ones, in an in-process trial at 1,000,000 papers (a script, not one of bench/).
 */
const GALLOP_RATIO = 16;
/**
 * A bar for new papers is set only when it turns away at least this share of a term's postings (from
 * a sample): one that turns away fewer costs more in mispredicted branches than it saves (in the same
 * trial, "efficient training" took 8% longer with every bar set, and "compression" half as long).
 */
const ENTRY_BAR_SHARE = 0.75;
/** Every this-many-th posting or found paper is looked at to estimate a share. */
const SAMPLE_STRIDE = 32;

export interface RankedDocument {
  doc: number;
  score: number;
}

/**
 * Keeps the best `k` documents by text score (BM25F) times the coverage of the query times a light
 * static boost (upvotes, recency). Ties go to the smaller paper id, so the order never depends on
 * insertion history.
 *
 * A segment at a time, newest first, term at a time within it, into accumulators the size of one
 * segment. Once k papers are kept, the k-th score is a floor that later segments prune with
 * (MaxScore's bound: a term adds less than its `scale`): a posting does not bring in a paper that
 * could not reach the floor even with every later term at its most, a term no new paper could reach
 * the floor with only adds to papers found, and found papers that can no longer reach it are dropped
 * before the next term. The answer is exactly what scoring every posting gives.
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
  /** Postings read, for tests and tuning: pruning skips whole terms in some segments. */
  postingsRead = 0;

  constructor(
    private readonly index: PaperIndex,
    /**
     * gallop: false scans every list (the reference the galloping path must agree with); a lower
     * gallopRatio gallops more often; prune: false scores every posting (the reference for pruning);
     * ubiquitousFrom leaves out ubiquitous typed forms from that many papers on (tests, on a small
     * index).
     */
    private readonly options: {
      gallop?: boolean;
      gallopRatio?: number;
      prune?: boolean;
      ubiquitousFrom?: number;
    } = {},
  ) {}

  rank(clauses: Clause[], k: number, today: number): RankedDocument[] {
    const index = this.index;
    if (index.liveDocs === 0 || clauses.length === 0) return [];
    const segments = index.readSegments();
    this.prepare(today, Math.max(...segments.map((s) => s.span)));
    const { passes, coverage } = planRanking(index, clauses, this.options.ubiquitousFrom);
    const heap = new TopK(k, index.docs.ids);
    // Newest first: recency lifts new papers, so the floor rises soonest there.
    for (let s = segments.length - 1; s >= 0; s--) {
      const segment = segments[s] as ReadSegment;
      const found = this.rankSegment(segment, passes, coverage, heap);
      this.collect(segment.base, found, coverage, heap, today);
    }
    return heap.sorted();
  }

  /** Scores a segment's postings of every pass; returns how many documents were found (in touched). */
  private rankSegment(
    segment: ReadSegment,
    passes: RankingPass[],
    coverage: Float64Array,
    heap: TopK,
  ): number {
    const index = this.index;
    const ratio = this.options.gallopRatio ?? GALLOP_RATIO;
    let touchedCount = 0;
    this.sortedUpTo = 0;
    for (const pass of passes) {
      const runs = [...index.runsIn(segment, pass.termId)];
      const count = runs.reduce((sum, run) => sum + run.to - run.from, 0);
      if (count === 0) continue;
      const floor = this.options.prune === false ? Number.NEGATIVE_INFINITY : heap.floor;
      let addOnly = pass.addOnly;
      let need = Number.NEGATIVE_INFINITY;
      if (floor > 0) {
        // What a new paper must get from this pass to reach the floor with every later pass at its most.
        need = floor / ((coverage[pass.restMask] as number) * LARGEST_BOOST) - (pass.rest - pass.scale);
        if (need >= pass.scale) addOnly = true;
        else if (!addOnly && this.turnedAway(runs, pass.scale, need) < ENTRY_BAR_SHARE)
          need = Number.NEGATIVE_INFINITY;
        // Dropping costs a pass over the found papers: worth it when galloping would then pay, or when
        // none of them can make it.
        if (addOnly && touchedCount > 0) {
          const hopeless = this.hopelessShare(touchedCount, pass, coverage, floor);
          if (hopeless === 1 || touchedCount * (1 - hopeless) * ratio < count)
            touchedCount = this.dropHopeless(touchedCount, pass, coverage, floor);
        }
      }
      if (addOnly && touchedCount === 0) continue;
      this.postingsRead += count;
      // Decided per term and segment, not per run: the open segment gives a term in many short runs.
      const gallop = addOnly && this.options.gallop !== false && touchedCount * ratio < count;
      for (const run of runs) {
        if (gallop) this.addToFound(run, pass, touchedCount);
        else touchedCount = this.scan(run, pass, touchedCount, addOnly, need);
      }
      if (gallop) this.gallops++;
    }
    return touchedCount;
  }

  /** The most a found document can end with, given what it has and every pass from `pass` on at its most. */
  private ceiling(local: number, pass: RankingPass, coverage: Float64Array): number {
    const mask = (this.masks[local] as number) | pass.restMask;
    return ((this.scores[local] as number) + pass.rest) * (coverage[mask] as number) * LARGEST_BOOST;
  }

  /** The share of a sample of the found documents that cannot reach `floor`. */
  private hopelessShare(
    touchedCount: number,
    pass: RankingPass,
    coverage: Float64Array,
    floor: number,
  ): number {
    let seen = 0;
    let hopeless = 0;
    for (let i = 0; i < touchedCount; i += SAMPLE_STRIDE) {
      seen++;
      if (this.ceiling(this.touched[i] as number, pass, coverage) < floor) hopeless++;
    }
    return hopeless / seen;
  }

  /** The share of a sample of a term's postings in a segment (its runs) that add less than `need`. */
  private turnedAway(runs: PostingRun[], scale: number, need: number): number {
    let seen = 0;
    let below = 0;
    for (const { segment, docs, freqs, from, to } of runs) {
      const titleNorm = this.titleNorm.subarray(segment.base);
      const bodyNorm = this.bodyNorm.subarray(segment.base);
      for (let i = from; i < to; i += SAMPLE_STRIDE) {
        const local = docs[i] as number;
        const value = freqs[i] as number;
        const tf =
          ((value >>> 5) & 7) * (titleNorm[local] as number) + (value & 31) * (bodyNorm[local] as number);
        seen++;
        if ((scale * tf) / (K1 + tf) < need) below++;
      }
    }
    return seen === 0 ? 0 : below / seen;
  }

  /**
   * Drops the found documents that cannot reach `floor` even with every pass from `pass` on at its
   * most, keeping the rest in order; returns how many are left.
   */
  private dropHopeless(
    touchedCount: number,
    pass: RankingPass,
    coverage: Float64Array,
    floor: number,
  ): number {
    const { scores, masks, touched } = this;
    let kept = 0;
    let sortedKept = 0;
    for (let i = 0; i < touchedCount; i++) {
      const local = touched[i] as number;
      if (this.ceiling(local, pass, coverage) < floor) {
        scores[local] = 0;
        masks[local] = 0;
        continue;
      }
      touched[kept++] = local;
      // The order of what is kept is unchanged, so the sorted prefix stays sorted.
      if (i < this.sortedUpTo) sortedKept = kept;
    }
    this.sortedUpTo = sortedKept;
    return kept;
  }

  /**
   * Adds a term's postings to the documents found so far when they are few beside the postings: each
   * found document is looked up by galloping through the (document-ordered) postings, so a common term
   * costs about found * log(postings / found) steps instead of one per posting.
   */
  private addToFound(run: PostingRun, { scale, bit }: RankingPass, touchedCount: number): void {
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
    let t = lowerBound(touched, 0, touchedCount, docs[run.from] as number);
    let i = run.from;
    while (t < touchedCount && i < to) {
      const local = touched[t++] as number;
      i = gallopTo(docs, i, to, local);
      if (i >= to) break;
      if (docs[i] !== local) continue;
      const value = freqs[i++] as number;
      const doc = base + local;
      // Found documents are live: deleted ones never get in.
      const tf = ((value >>> 5) & 7) * (titleNorm[doc] as number) + (value & 31) * (bodyNorm[doc] as number);
      masks[local] = (masks[local] as number) | bit;
      scores[local] = (scores[local] as number) + (scale * tf) / (K1 + tf);
    }
  }

  private scan(
    { segment, docs, freqs, from, to }: PostingRun,
    { scale, bit }: RankingPass,
    touchedCount: number,
    /** Only add to documents already found. */
    addOnly: boolean,
    /** A document not found yet is brought in only when the term adds at least this much to it. */
    need: number,
  ): number {
    const { scores, masks, touched } = this;
    const base = segment.base;
    // Views from the segment's first document, so both are indexed by the document's number within it.
    const titleNorm = this.titleNorm.subarray(base);
    const bodyNorm = this.bodyNorm.subarray(base);
    let count = touchedCount;
    if (segment.deleted === 0 && !addOnly && need === Number.NEGATIVE_INFINITY) {
      // Most postings of most queries come here: no branch but the one that records a new document.
      for (let i = from; i < to; i++) {
        const local = docs[i] as number;
        const value = freqs[i] as number;
        const tf =
          ((value >>> 5) & 7) * (titleNorm[local] as number) + (value & 31) * (bodyNorm[local] as number);
        const mask = masks[local] as number;
        if (mask === 0) touched[count++] = local;
        masks[local] = mask | bit;
        scores[local] = (scores[local] as number) + (scale * tf) / (K1 + tf);
      }
      return count;
    }
    // Deleted documents to skip, a bar for new ones, or only adding to found ones: branches the
    // common case above does without.
    const live = this.index.docs.live.subarray(base);
    const checkLive = segment.deleted > 0;
    for (let i = from; i < to; i++) {
      const local = docs[i] as number;
      if (checkLive && live[local] === 0) continue;
      const mask = masks[local] as number;
      if (addOnly && mask === 0) continue;
      const value = freqs[i] as number;
      const tf =
        ((value >>> 5) & 7) * (titleNorm[local] as number) + (value & 31) * (bodyNorm[local] as number);
      const add = (scale * tf) / (K1 + tf);
      if (mask === 0) {
        if (add < need) continue;
        touched[count++] = local;
      }
      masks[local] = mask | bit;
      scores[local] = (scores[local] as number) + add;
    }
    return count;
  }

  /** Offers a segment's found documents to the heap, and clears their accumulators. */
  private collect(
    base: number,
    touchedCount: number,
    coverage: Float64Array,
    heap: TopK,
    today: number,
  ): void {
    const { scores, masks, touched, recency } = this;
    const { upvoteBoost, birthDay } = this.index.docs;
    for (let i = 0; i < touchedCount; i++) {
      const local = touched[i] as number;
      const text = (scores[local] as number) * (coverage[masks[local] as number] as number);
      scores[local] = 0;
      masks[local] = 0;
      // Below the floor even with the largest boost: passed over without reading its boosts.
      if (text * LARGEST_BOOST < heap.floor) continue;
      const doc = base + local;
      const age = Math.min(Math.max(today - (birthDay[doc] as number), 0), recency.length - 1);
      heap.offer(doc, text * (1 + (upvoteBoost[doc] as number) + (recency[age] as number)));
    }
  }

  /**
   * Sizes the accumulators for the largest segment, and recomputes length norms when the index changed
   * since the last query.
   */
  private prepare(today: number, span: number): void {
    const index = this.index;
    if (this.scores.length < span) {
      this.scores = new Float64Array(span);
      this.masks = new Uint16Array(span);
      this.touched = new Int32Array(span);
    }
    const size = index.docCount;
    if (this.normsAt !== index.version) {
      if (this.titleNorm.length < size) {
        const capacity = Math.max(size, Math.ceil(this.titleNorm.length * 1.5), 1024);
        this.titleNorm = new Float32Array(capacity);
        this.bodyNorm = new Float32Array(capacity);
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
