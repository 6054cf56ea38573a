/**
 * Postings of a range of documents. Each posting is one uint32: the document's number within the
 * segment in the high 24 bits, its term frequencies in the low byte (title 0-7 in the top 3 bits,
 * body 0-31 in the low 5; BM25 saturates long before either cap). Four bytes a posting keeps a
 * million papers' postings in a few hundred megabytes.
 */
export interface SealedSegment {
  /** The first document number of the segment. */
  readonly base: number;
  /** Documents numbered base..base+span-1 belong to it. */
  readonly span: number;
  /** Term ids present, ascending. */
  readonly termIds: Int32Array;
  /** Postings of termIds[i] are postings[offsets[i]..offsets[i+1]), by ascending document. */
  readonly offsets: Uint32Array;
  readonly postings: Uint32Array;
  /** Deleted documents of the range; postings of live-only segments are scored without a check. */
  deleted: number;
}

export const packFrequencies = (title: number, body: number) =>
  (Math.min(title, 7) << 5) | Math.min(body, 31);

/** The index of a term's postings in a sealed segment, or -1. */
export function findTerm(segment: SealedSegment, termId: number): number {
  const ids = segment.termIds;
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = ids[mid] as number;
    if (value === termId) return mid;
    if (value < termId) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

interface GrowingList {
  data: Uint32Array;
  length: number;
}

/** The segment documents are being added to: a growing list per term, sealed when full. */
export class OpenSegment {
  readonly lists = new Map<number, GrowingList>();
  span = 0;
  deleted = 0;
  constructor(readonly base: number) {}

  add(termId: number, localDoc: number, frequencies: number): void {
    let list = this.lists.get(termId);
    if (!list) {
      list = { data: new Uint32Array(4), length: 0 };
      this.lists.set(termId, list);
    } else if (list.length === list.data.length) {
      const bigger = new Uint32Array(list.data.length * 2);
      bigger.set(list.data);
      list.data = bigger;
    }
    list.data[list.length++] = (localDoc << 8) | frequencies;
  }

  /** A compact copy, for the snapshot or to replace this segment once it is full. */
  seal(): SealedSegment {
    const termIds = Int32Array.from(this.lists.keys()).sort();
    const offsets = new Uint32Array(termIds.length + 1);
    let total = 0;
    termIds.forEach((id, i) => {
      offsets[i] = total;
      total += (this.lists.get(id) as GrowingList).length;
    });
    offsets[termIds.length] = total;
    const postings = new Uint32Array(total);
    termIds.forEach((id, i) => {
      const list = this.lists.get(id) as GrowingList;
      postings.set(list.data.subarray(0, list.length), offsets[i]);
    });
    return { base: this.base, span: this.span, termIds, offsets, postings, deleted: this.deleted };
  }
}

/** Two adjacent segments as one, without the postings of deleted documents. */
export function mergeSegments(a: SealedSegment, b: SealedSegment, live: Uint8Array): SealedSegment {
  const shift = b.base - a.base;
  const ids: number[] = [];
  const offsets: number[] = [];
  const postings = new Uint32Array(a.postings.length + b.postings.length);
  let total = 0;
  const copy = (segment: SealedSegment, index: number, rebase: number) => {
    for (let i = segment.offsets[index] as number; i < (segment.offsets[index + 1] as number); i++) {
      const value = segment.postings[i] as number;
      if (live[segment.base + (value >>> 8)] === 0) continue;
      postings[total++] = value + (rebase << 8);
    }
  };
  let i = 0;
  let j = 0;
  while (i < a.termIds.length || j < b.termIds.length) {
    const ta = i < a.termIds.length ? (a.termIds[i] as number) : Number.POSITIVE_INFINITY;
    const tb = j < b.termIds.length ? (b.termIds[j] as number) : Number.POSITIVE_INFINITY;
    const term = Math.min(ta, tb);
    const start = total;
    if (ta === term) copy(a, i++, 0);
    if (tb === term) copy(b, j++, shift);
    if (total > start) {
      ids.push(term);
      offsets.push(start);
    }
  }
  offsets.push(total);
  return {
    base: a.base,
    span: shift + b.span,
    termIds: Int32Array.from(ids),
    offsets: Uint32Array.from(offsets),
    postings: postings.slice(0, total),
    deleted: 0,
  };
}
