import type { IndexablePaper } from "../ports.js";
import {
  findTerm,
  packFrequencies,
  SEGMENT_SPAN,
  type SealedSegment,
  withoutDeleted,
} from "./index-segment.js";
import { OpenSegment, PostingSlabs } from "./open-segment.js";
import { forEachTerm } from "./text-terms.js";

const DAY_MS = 86_400_000;
/**
 * A sealed segment is rewritten without its deleted documents' postings once this share of its
 * documents is deleted (papers whose text changed): they cost memory and a check on every posting.
 */
const PURGE_SHARE = 0.2;

/** A run of one term's postings in one segment: docs and freqs [from, to), documents numbered from segment.base. */
export interface PostingRun {
  segment: { base: number; deleted: number };
  docs: Uint16Array;
  freqs: Uint8Array;
  from: number;
  to: number;
}

/** A segment as a query reads it: sealed, or the one documents are being added to. */
export type ReadSegment = SealedSegment | OpenSegment;

/** Upvotes lift a paper by at most this much (1,000 upvotes and more). */
export const UPVOTE_BOOST = 0.04;

function grown<T extends Uint8Array | Uint16Array | Int32Array | Float32Array>(array: T, size: number): T {
  if (size <= array.length) return array;
  const bigger = new (array.constructor as new (n: number) => T)(Math.max(size, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** Tells whether a paper's text changed, so an upvote update does not re-index it. */
function fingerprint(parts: (string | null)[]): number {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    const text = part ?? "";
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    hash = Math.imul(hash ^ 0xff, 0x01000193);
  }
  return hash | 0;
}

export interface DocTable {
  ids: string[];
  titleLength: Uint16Array;
  bodyLength: Uint16Array;
  /** Days since 1970 the paper counts from. */
  birthDay: Int32Array;
  /** The upvote part of the paper's static boost. */
  upvoteBoost: Float32Array;
  fingerprint: Int32Array;
  /** 1 while the document is the paper's current version. */
  live: Uint8Array;
}

/**
 * The in-process full-text index: a term dictionary, postings in segments of document numbers, and a
 * table of per-document lengths and boosts. A paper is one document; a changed paper becomes a new
 * document and its old one is marked deleted. Scores depend only on the live documents (statistics
 * are exact, never approximated per segment), so every replica ranks alike whatever its history.
 */
export class PaperIndex {
  readonly terms: string[] = [];
  readonly termIds = new Map<string, number>();
  /** Surface words of the corpus -> their stem's term id: the vocabulary of typo correction. */
  readonly words = new Map<string, number>();
  /** The same words in the order they were first seen, so typo correction can index only new ones. */
  readonly wordList: string[] = [];
  readonly docs: DocTable = {
    ids: [],
    titleLength: new Uint16Array(1024),
    bodyLength: new Uint16Array(1024),
    birthDay: new Int32Array(1024),
    upvoteBoost: new Float32Array(1024),
    fingerprint: new Int32Array(1024),
    live: new Uint8Array(1024),
  };
  readonly byId = new Map<string, number>();
  segments: SealedSegment[] = [];
  private readonly slabs = new PostingSlabs();
  open = new OpenSegment(0, this.slabs);
  docCount = 0;
  liveDocs = 0;
  titleTotal = 0;
  bodyTotal = 0;
  /** Bumped by every change, so caches of derived arrays know when to recompute. */
  version = 0;

  /** `segmentSpan`: documents a segment holds at most (smaller in tests, to cross many segments). */
  constructor(private readonly segmentSpan = SEGMENT_SPAN) {
    if (segmentSpan > SEGMENT_SPAN) throw new Error(`a segment spans at most ${SEGMENT_SPAN} documents`);
  }

  termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(term);
      this.termIds.set(term, id);
    }
    return id;
  }

  /** Adds or replaces a paper; returns false when only its boosts changed (text unchanged). */
  upsert(paper: IndexablePaper): boolean {
    const print = fingerprint([paper.title, paper.abstract, paper.aiSummary, paper.aiKeywords.join("\n")]);
    const existing = this.byId.get(paper.id);
    if (existing !== undefined && this.docs.fingerprint[existing] === print) {
      this.setBoosts(existing, paper);
      this.version++;
      return false;
    }
    if (existing !== undefined) this.remove(paper.id);
    const doc = this.docCount++;
    if (doc - this.open.base >= this.segmentSpan) this.sealOpen();
    this.ensureCapacity(this.docCount);
    const counts = new Map<number, number>();
    const titleLength = this.countTerms(paper.title, counts, 1 << 16);
    const body = [paper.abstract, paper.aiSummary ?? "", paper.aiKeywords.join(", ")].join("\n");
    const bodyLength = this.countTerms(body, counts, 1);
    const local = doc - this.open.base;
    for (const [termId, packed] of counts)
      this.open.add(termId, local, packFrequencies(packed >>> 16, packed & 0xffff));
    this.open.span = local + 1;
    const docs = this.docs;
    docs.ids[doc] = paper.id;
    docs.titleLength[doc] = Math.min(titleLength, 0xffff);
    docs.bodyLength[doc] = Math.min(bodyLength, 0xffff);
    docs.fingerprint[doc] = print;
    docs.live[doc] = 1;
    this.setBoosts(doc, paper);
    this.byId.set(paper.id, doc);
    this.liveDocs++;
    this.titleTotal += docs.titleLength[doc] as number;
    this.bodyTotal += docs.bodyLength[doc] as number;
    this.version++;
    return true;
  }

  remove(id: string): boolean {
    const doc = this.byId.get(id);
    if (doc === undefined) return false;
    this.byId.delete(id);
    this.docs.live[doc] = 0;
    this.liveDocs--;
    this.titleTotal -= this.docs.titleLength[doc] as number;
    this.bodyTotal -= this.docs.bodyLength[doc] as number;
    if (doc >= this.open.base) this.open.deleted++;
    else {
      const at = this.segments.findIndex((s) => doc < s.base + s.span);
      const segment = this.segments[at];
      if (segment) segment.deleted++;
      this.purgeIfDead(at);
    }
    this.version++;
    return true;
  }

  /** Live documents containing a term: exact, so scores do not depend on deletion history. */
  documentFrequency(termId: number): number {
    const live = this.docs.live;
    let df = 0;
    for (const { segment, docs, from, to } of this.runs(termId)) {
      if (segment.deleted === 0) df += to - from;
      else for (let i = from; i < to; i++) df += live[segment.base + (docs[i] as number)] as number;
    }
    return df;
  }

  /** Where a term's postings are: a run in each sealed segment that has it, and the open segment's blocks. */
  *runs(termId: number): Iterable<PostingRun> {
    for (const segment of this.readSegments()) yield* this.runsIn(segment, termId);
  }

  /** The segments a query reads, oldest first: the sealed ones, then the open one. */
  readSegments(): ReadSegment[] {
    return [...this.segments, this.open];
  }

  /** A term's postings in one segment, as runs in document order. */
  *runsIn(segment: ReadSegment, termId: number): Iterable<PostingRun> {
    if (segment instanceof OpenSegment) {
      for (const run of segment.runs(termId)) yield { segment, ...run };
      return;
    }
    const at = findTerm(segment, termId);
    if (at >= 0)
      yield {
        segment,
        docs: segment.docs,
        freqs: segment.freqs,
        from: segment.offsets[at] as number,
        to: segment.offsets[at + 1] as number,
      };
  }

  /** Every segment, the open one sealed as a copy: what a snapshot stores and a query reads. */
  allSegments(): SealedSegment[] {
    return this.open.span > 0 ? [...this.segments, this.open.seal()] : this.segments;
  }

  /**
   * Replaces the segment list (a snapshot being loaded); documents go on after the last one, in it
   * when it has room. The full segments stay views of the snapshot's bytes: copies would only add to
   * them.
   */
  restoreSegments(segments: SealedSegment[]): void {
    const last = segments[segments.length - 1];
    if (last && last.span < this.segmentSpan) {
      this.segments = segments.slice(0, -1);
      this.open = OpenSegment.reopen(last, this.slabs);
      return;
    }
    this.segments = segments;
    this.open = new OpenSegment(last ? last.base + last.span : 0, this.slabs);
  }

  ensureCapacity(size: number): void {
    const d = this.docs;
    d.titleLength = grown(d.titleLength, size);
    d.bodyLength = grown(d.bodyLength, size);
    d.birthDay = grown(d.birthDay, size);
    d.upvoteBoost = grown(d.upvoteBoost, size);
    d.fingerprint = grown(d.fingerprint, size);
    d.live = grown(d.live, size);
  }

  private setBoosts(doc: number, paper: IndexablePaper): void {
    this.docs.birthDay[doc] = Math.floor(paper.bornAt.getTime() / DAY_MS);
    const upvotes = Math.max(paper.hfUpvotes ?? 0, 0);
    this.docs.upvoteBoost[doc] = UPVOTE_BOOST * Math.min(Math.log1p(upvotes) / Math.log(1000), 1);
  }

  /** Adds each term's count (times `unit`) to `counts`; returns the text's length in words. */
  private countTerms(text: string, counts: Map<number, number>, unit: number): number {
    let length = 0;
    forEachTerm(text, (term, _position, word) => {
      const id = this.termId(term);
      counts.set(id, (counts.get(id) ?? 0) + unit);
      if (word === null) return;
      length++;
      if (word.length >= 4 && !this.words.has(word)) {
        this.words.set(word, id);
        this.wordList.push(word);
      }
    });
    return length;
  }

  private sealOpen(): void {
    this.segments.push(this.open.seal());
    this.open = new OpenSegment(this.docCount - 1, this.slabs);
    this.purgeIfDead(this.segments.length - 1);
  }

  /** Rewrites segment `at` without its dead postings once PURGE_SHARE of its documents are deleted. */
  private purgeIfDead(at: number): void {
    const segment = this.segments[at];
    if (segment && segment.deleted > segment.span * PURGE_SHARE)
      this.segments[at] = withoutDeleted(segment, this.docs.live);
  }
}
