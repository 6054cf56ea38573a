import type { ChangeMark, IndexablePaper, PaperChange } from "../ports.js";
import type { AnalyzedQuery } from "./analyze-query.js";
import type { IndexHit, IndexQuery } from "./query-index.js";

/** What a host's index holds: papers searchable now, and a counter that moves on every change. */
export interface IndexState {
  liveDocs: number;
  version: number;
}

/** How a host's start from its snapshot went. */
export type SnapshotRestore =
  | { kind: "restored"; mark: ChangeMark | null; state: IndexState }
  | { kind: "none" }
  /** A snapshot of another format or configuration: ignored, the index starts empty. */
  | { kind: "outdated" }
  | { kind: "unreadable"; error: string };

/**
 * Where the search index lives and is ranked: in this thread (tests, tools) or in a thread of its own,
 * so ranking and snapshot encoding never hold the thread that acknowledges platform requests. Calls are
 * applied in the order they are made: a search made after `apply` sees the applied changes.
 */
export interface IndexHost {
  restore(): Promise<SnapshotRestore>;
  /** Empties the index (a snapshot that disagrees with the database). */
  reset(): Promise<IndexState>;
  apply(changes: PaperChange[]): Promise<IndexState>;
  search(query: AnalyzedQuery, k: number, now: Date): Promise<IndexQuery>;
  /** Papers sharing `paper`'s most telling terms, the paper itself left out. */
  related(paper: RelatedTo, k: number, now: Date): Promise<IndexHit[]>;
  /** Writes a snapshot of the index at `mark`; false when the host keeps none. */
  save(mark: ChangeMark | null): Promise<boolean>;
  close(): Promise<void>;
}

export type RelatedTo = Pick<IndexablePaper, "id" | "title" | "abstract" | "aiSummary" | "aiKeywords">;
