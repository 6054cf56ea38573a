import type { SealedSegment } from "./index-segment.js";

/** Postings per slab (768 kB): blocks are carved from these, never freed, reused by the next open segment. */
const SLAB = 1 << 18;
const FIRST_BLOCK = 4;
/** Caps the space a term's last block leaves unused; a slab holds a whole number of these. */
const LARGEST_BLOCK = 1024;

const blockSize = (k: number) => Math.min(FIRST_BLOCK << Math.min(k, 8), LARGEST_BLOCK);

/** A term's postings in the open segment: blocks of 4, 8, … 1,024 entries, each a position in the slabs. */
interface TermBlocks {
  blocks: number[];
  length: number;
  /** Entries in the last block. */
  fill: number;
}

/** One stretch of a term's postings: docs and freqs [from, to), in document order. */
export interface OpenRun {
  docs: Uint16Array;
  freqs: Uint8Array;
  from: number;
  to: number;
}

/**
 * The slabs an index's open segments take their blocks from. A growing array per term (doubled and
 * copied when full) left a million papers' build with some hundred megabytes freed in pieces of every
 * size, which the allocator kept and the process's RSS with it; blocks from a few fixed slabs that
 * outlive each segment leave nothing to free.
 */
export class PostingSlabs {
  private readonly docs: Uint16Array[] = [];
  private readonly freqs: Uint8Array[] = [];
  private used = 0;

  /** A block of `size` entries; blocks never straddle two slabs. */
  take(size: number): number {
    if ((this.used % SLAB) + size > SLAB) this.used = Math.ceil(this.used / SLAB) * SLAB;
    const at = this.used;
    this.used += size;
    if (this.docs.length * SLAB < this.used) {
      this.docs.push(new Uint16Array(SLAB));
      this.freqs.push(new Uint8Array(SLAB));
    }
    return at;
  }

  put(at: number, localDoc: number, frequencies: number): void {
    const slab = Math.floor(at / SLAB);
    (this.docs[slab] as Uint16Array)[at % SLAB] = localDoc;
    (this.freqs[slab] as Uint8Array)[at % SLAB] = frequencies;
  }

  /** `size` postings from block position `at` as a run. */
  run(at: number, size: number): OpenRun {
    const slab = Math.floor(at / SLAB);
    const from = at % SLAB;
    return {
      docs: this.docs[slab] as Uint16Array,
      freqs: this.freqs[slab] as Uint8Array,
      from,
      to: from + size,
    };
  }

  /** Every block is free again: the segment that held them was sealed (copied) and is gone. */
  reset(): void {
    this.used = 0;
  }
}

/** The segment documents are being added to: each term's postings in blocks, sealed when full. */
export class OpenSegment {
  private readonly terms = new Map<number, TermBlocks>();
  span = 0;
  deleted = 0;

  /** `slabs` are emptied here: whatever segment used them before must be sealed already. */
  constructor(
    readonly base: number,
    private readonly slabs: PostingSlabs,
  ) {
    slabs.reset();
  }

  /**
   * A sealed segment with room left as the open one again: a restart goes on filling the snapshot's
   * last, partial segment instead of leaving it small for good (one more per restart).
   */
  static reopen(segment: SealedSegment, slabs: PostingSlabs): OpenSegment {
    const open = new OpenSegment(segment.base, slabs);
    const { termIds, offsets, docs, freqs } = segment;
    termIds.forEach((termId, t) => {
      for (let i = offsets[t] as number; i < (offsets[t + 1] as number); i++)
        open.add(termId, docs[i] as number, freqs[i] as number);
    });
    open.span = segment.span;
    open.deleted = segment.deleted;
    return open;
  }

  add(termId: number, localDoc: number, frequencies: number): void {
    let term = this.terms.get(termId);
    if (!term) {
      term = { blocks: [this.slabs.take(FIRST_BLOCK)], length: 0, fill: 0 };
      this.terms.set(termId, term);
    } else if (term.fill === blockSize(term.blocks.length - 1)) {
      term.blocks.push(this.slabs.take(blockSize(term.blocks.length)));
      term.fill = 0;
    }
    this.slabs.put((term.blocks[term.blocks.length - 1] as number) + term.fill++, localDoc, frequencies);
    term.length++;
  }

  /** Postings of a term in this segment (0 when it has none). */
  count(termId: number): number {
    return this.terms.get(termId)?.length ?? 0;
  }

  /** A term's postings as runs over the slabs, in document order. */
  *runs(termId: number): Iterable<OpenRun> {
    const term = this.terms.get(termId);
    if (!term) return;
    let left = term.length;
    for (let k = 0; left > 0; k++) {
      const size = Math.min(blockSize(k), left);
      yield this.slabs.run(term.blocks[k] as number, size);
      left -= size;
    }
  }

  /** A compact copy, for the snapshot or to replace this segment once it is full. */
  seal(): SealedSegment {
    const termIds = Int32Array.from(this.terms.keys()).sort();
    const offsets = new Uint32Array(termIds.length + 1);
    let total = 0;
    termIds.forEach((id, i) => {
      offsets[i] = total;
      total += this.count(id);
    });
    offsets[termIds.length] = total;
    const docs = new Uint16Array(total);
    const freqs = new Uint8Array(total);
    termIds.forEach((id, i) => {
      let at = offsets[i] as number;
      for (const run of this.runs(id)) {
        docs.set(run.docs.subarray(run.from, run.to), at);
        freqs.set(run.freqs.subarray(run.from, run.to), at);
        at += run.to - run.from;
      }
    });
    return { base: this.base, span: this.span, termIds, offsets, docs, freqs, deleted: this.deleted };
  }
}
