import { createHash } from "node:crypto";
import type { ChangeMark, IndexSnapshotStore, PaperChange } from "../ports.js";
import type { AnalyzedQuery } from "./analyze-query.js";
import { FIELD_SYNONYMS } from "./field-synonyms.js";
import type { IndexHost, IndexState, RelatedTo, SnapshotRestore } from "./index-host.js";
import { decodeSnapshot, encodeSnapshot } from "./index-snapshot.js";
import { PaperIndex } from "./paper-index.js";
import { type IndexHit, type IndexQuery, queryIndex } from "./query-index.js";
import { QUERY_STOP_WORDS } from "./query-words.js";
import { DocumentRanker } from "./rank-documents.js";
import { relatedInIndex } from "./related-in-index.js";
import { TypoCorrections } from "./typo-corrections.js";

/** Changes to the tokenizer or scoring's stored parts must bump this, so old snapshots are rebuilt. */
const FORMAT = "paperboy-index-1 porter";
const INDEX_CONFIG_HASH = createHash("sha256")
  .update(JSON.stringify([FORMAT, FIELD_SYNONYMS, [...QUERY_STOP_WORDS].sort()]))
  .digest("hex")
  .slice(0, 16);

const partsOf = (index: PaperIndex) => ({
  index,
  ranker: new DocumentRanker(index),
  typos: new TypoCorrections(index),
});

/** The index in the calling thread; also what the index thread runs (src/threads/index-thread.ts). */
export class InlineIndexHost implements IndexHost {
  private parts = partsOf(new PaperIndex());

  constructor(private readonly snapshots?: IndexSnapshotStore | undefined) {}

  private get state(): IndexState {
    return { liveDocs: this.parts.index.liveDocs, version: this.parts.index.version };
  }

  async restore(): Promise<SnapshotRestore> {
    let bytes: Uint8Array | null | undefined;
    try {
      bytes = await this.snapshots?.read();
    } catch (error) {
      return { kind: "unreadable", error: (error as Error).message ?? String(error) };
    }
    if (!bytes) return { kind: "none" };
    const restored = decodeSnapshot(bytes, INDEX_CONFIG_HASH);
    if (!restored) return { kind: "outdated" };
    this.parts = partsOf(restored.index);
    return { kind: "restored", mark: restored.mark, state: this.state };
  }

  async reset(): Promise<IndexState> {
    this.parts = partsOf(new PaperIndex());
    return this.state;
  }

  async apply(changes: PaperChange[]): Promise<IndexState> {
    const { index } = this.parts;
    for (const change of changes) {
      if (change.paper) index.upsert(change.paper);
      else index.remove(change.id);
    }
    return this.state;
  }

  async search(query: AnalyzedQuery, k: number, now: Date): Promise<IndexQuery> {
    return queryIndex(this.parts, query, k, now);
  }

  async related(paper: RelatedTo, k: number, now: Date): Promise<IndexHit[]> {
    return relatedInIndex(this.parts, paper, k, now);
  }

  async save(mark: ChangeMark | null): Promise<boolean> {
    if (!this.snapshots) return false;
    // Encoded now, in one go: the snapshot is the index exactly at `mark`, whatever is applied while it is written.
    await this.snapshots.write(encodeSnapshot(this.parts.index, mark, INDEX_CONFIG_HASH));
    return true;
  }

  async close(): Promise<void> {}
}
