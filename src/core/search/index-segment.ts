/** A segment spans at most this many documents, so a document's number within it fits 16 bits. */
export const SEGMENT_SPAN = 1 << 16;

/**
 * Postings of a range of documents, three bytes each: the document's number within the segment (16
 * bits) and its term frequencies (a byte: title 0-7 in the top 3 bits, body 0-31 in the low 5; BM25
 * saturates long before either cap). Postings are nearly all of the index: at four bytes (a uint32
 * of both) a million papers' took 523 MB and the bot's RSS after a first build passed 1,000 MB.
 */
export interface SealedSegment {
  /** The first document number of the segment. */
  readonly base: number;
  /** Documents numbered base..base+span-1 belong to it; span is at most SEGMENT_SPAN. */
  readonly span: number;
  /** Term ids present, ascending. */
  readonly termIds: Int32Array;
  /** Postings of termIds[i] are at [offsets[i], offsets[i+1]) of docs and freqs, by ascending document. */
  readonly offsets: Uint32Array;
  readonly docs: Uint16Array;
  readonly freqs: Uint8Array;
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

/** The segment without the postings of its deleted documents (numbers unchanged: the table keeps their rows). */
export function withoutDeleted(segment: SealedSegment, live: Uint8Array): SealedSegment {
  const { base, termIds, offsets } = segment;
  let size = 0;
  for (let i = 0; i < segment.docs.length; i++) size += live[base + (segment.docs[i] as number)] as number;
  const docs = new Uint16Array(size);
  const freqs = new Uint8Array(size);
  const ids: number[] = [];
  const starts: number[] = [];
  let total = 0;
  termIds.forEach((termId, t) => {
    const start = total;
    for (let i = offsets[t] as number; i < (offsets[t + 1] as number); i++) {
      const local = segment.docs[i] as number;
      if (live[base + local] === 0) continue;
      docs[total] = local;
      freqs[total++] = segment.freqs[i] as number;
    }
    if (total > start) {
      ids.push(termId);
      starts.push(start);
    }
  });
  starts.push(total);
  return {
    base,
    span: segment.span,
    termIds: Int32Array.from(ids),
    offsets: Uint32Array.from(starts),
    docs,
    freqs,
    deleted: 0,
  };
}
