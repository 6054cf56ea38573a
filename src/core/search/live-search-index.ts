import { createHash } from "node:crypto";
import type { ChangeMark, IndexSnapshotStore, Logger, PaperStore } from "../ports.js";
import type { AnalyzedQuery } from "./analyze-query.js";
import { FIELD_SYNONYMS } from "./field-synonyms.js";
import { decodeSnapshot, encodeSnapshot } from "./index-snapshot.js";
import { PaperIndex } from "./paper-index.js";
import { type IndexQuery, queryIndex } from "./query-index.js";
import { QUERY_STOP_WORDS } from "./query-words.js";
import { DocumentRanker } from "./rank-documents.js";
import { TypoCorrections } from "./typo-corrections.js";

/** Changes to the tokenizer or scoring's stored parts must bump this, so old snapshots are rebuilt. */
const FORMAT = "paperboy-index-1 porter";
export const INDEX_CONFIG_HASH = createHash("sha256")
  .update(JSON.stringify([FORMAT, FIELD_SYNONYMS, [...QUERY_STOP_WORDS].sort()]))
  .digest("hex")
  .slice(0, 16);

const DEFAULT_POLL_MS = 2_000;

export interface LiveSearchIndexOptions {
  store: PaperStore;
  logger: Logger;
  snapshots?: IndexSnapshotStore | undefined;
  /** How often the change feed is read (ms); 0: only when asked (tests). */
  pollMs?: number;
  /** Changes read per request of the feed. */
  pageSize?: number;
  /** While the index changes, a snapshot is written at most this often (ms). */
  snapshotEveryMs?: number;
}

/**
 * The search index of this process, kept in step with the database: built from the change feed (or
 * loaded from its snapshot and caught up from the snapshot's mark), then fed every change by polling.
 * Every replica reads the same feed in the same order, so all converge on the same index. Until it is
 * ready, searches go to the database's own full-text search.
 */
export class LiveSearchIndex {
  private parts = LiveSearchIndex.partsOf(new PaperIndex());
  private mark: ChangeMark | null = null;
  private ready = false;
  private stopped = false;
  private starting: Promise<void> | null = null;
  private syncing: Promise<number> | null = null;
  private lastSync = 0;
  /** Set when this process wrote papers: its next search syncs first, however recent the last sync. */
  private stale = false;
  private timer: NodeJS.Timeout | null = null;
  private savedVersion = -1;
  private lastSave = 0;
  private saving: Promise<void> | null = null;

  private readonly pollMs: number;

  constructor(private readonly options: LiveSearchIndexOptions) {
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  }

  private static partsOf(index: PaperIndex) {
    return { index, ranker: new DocumentRanker(index), typos: new TypoCorrections(index) };
  }

  get isReady(): boolean {
    return this.ready;
  }

  get size(): number {
    return this.parts.index.liveDocs;
  }

  /** Loads the snapshot or builds from the database, then polls; resolves once the index is ready. */
  start(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.starting ??= this.load().then(() => {
      if (this.pollMs > 0 && !this.stopped) {
        this.timer = setInterval(() => void this.poll(), this.pollMs);
        this.timer.unref();
      }
    });
    // A failed load (the database away) may be tried again by calling start() later.
    this.starting.catch(() => {
      this.starting = null;
    });
    return this.starting;
  }

  /** Reads the feed to its end now; returns how many changes were applied. Concurrent calls share one read. */
  sync(): Promise<number> {
    this.syncing ??= this.readFeed().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  /**
   * Syncs first when this process wrote papers since the last sync, so a search sees them, or when
   * the last sync is older than `maxAgeMs`: by default twice the poll's interval, so a search waits
   * only when the poll falls behind (without polling, 1 s). Another process's papers show within a
   * poll. A search never waits for a routine sync: under load, one every second held every search that
   * came during its round trip, the bot's slowest answers (bench/commands.ts). Waits `waitMs` at
   * most, so a search never queues behind a big sync (another process's bulk load).
   */
  async catchUp(maxAgeMs = this.pollMs > 0 ? 2 * this.pollMs : 1_000, waitMs = 250): Promise<void> {
    if (!this.stale && performance.now() - this.lastSync <= maxAgeMs) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.syncAfterWrites().catch((error) => this.warn(error, "search index sync failed")),
      new Promise((resolve) => {
        timer = setTimeout(resolve, waitMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** This process just wrote papers: the next search reads them first instead of waiting for the poll. */
  markStale(): void {
    this.stale = true;
  }

  /** A sync that started before the last local write may not see it: then one more follows. */
  private async syncAfterWrites(): Promise<number> {
    if (this.stale && this.syncing) await this.syncing.catch(() => 0);
    return this.sync();
  }

  search(query: AnalyzedQuery, k: number, now: Date): IndexQuery {
    return queryIndex(this.parts, query, k, now);
  }

  /** The index and its ranker, for queries that are not typed text (related papers). */
  get tools(): { index: PaperIndex; ranker: DocumentRanker; typos: TypoCorrections } {
    return this.parts;
  }

  /** Writes a snapshot if anything changed since the last one. */
  async save(): Promise<void> {
    const { snapshots } = this.options;
    if (!snapshots || !this.ready || this.parts.index.version === this.savedVersion) return;
    await this.saving;
    const version = this.parts.index.version;
    this.saving = snapshots.write(encodeSnapshot(this.parts.index, this.mark, INDEX_CONFIG_HASH)).then(() => {
      this.savedVersion = version;
      this.lastSave = performance.now();
    });
    try {
      await this.saving;
    } finally {
      this.saving = null;
    }
  }

  /** Stops polling, waits for a running sync, and leaves a snapshot for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.starting?.catch(() => {});
    await this.syncing?.catch(() => {});
    if (this.ready) await this.save().catch((error) => this.warn(error, "search index snapshot not written"));
  }

  private async load(): Promise<void> {
    const { snapshots, logger, store } = this.options;
    const started = performance.now();
    const bytes = await snapshots?.read().catch((error) => {
      this.warn(error, "search index snapshot unreadable; rebuilding");
      return null;
    });
    const restored = bytes ? decodeSnapshot(bytes, INDEX_CONFIG_HASH) : null;
    // After an upgrade that changed the index, the first start takes minutes on a big library: say why.
    if (bytes && !restored)
      logger.info(
        "search index snapshot is from another version or configuration; rebuilding from the database",
      );
    if (restored) {
      this.parts = LiveSearchIndex.partsOf(restored.index);
      this.mark = restored.mark;
      this.savedVersion = restored.index.version;
    }
    await this.sync();
    // Stopped while building: a partial index is neither used nor saved.
    if (this.stopped) return;
    // A snapshot of another database, or of one emptied since, disagrees on the count: start over.
    if (restored && this.parts.index.liveDocs !== (await store.count())) {
      logger.warn("search index snapshot does not match the database; rebuilding");
      this.parts = LiveSearchIndex.partsOf(new PaperIndex());
      this.mark = null;
      await this.sync();
    }
    if (this.stopped) return;
    this.ready = true;
    logger.info(
      {
        papers: this.parts.index.liveDocs,
        ms: Math.round(performance.now() - started),
        from: restored ? "snapshot" : "database",
      },
      "search index ready",
    );
    await this.save().catch((error) => this.warn(error, "search index snapshot not written"));
  }

  private async readFeed(): Promise<number> {
    const { store } = this.options;
    const pageSize = this.options.pageSize ?? 5_000;
    this.lastSync = performance.now();
    this.stale = false;
    let applied = 0;
    for (;;) {
      const page = await store.changesSince(this.mark, pageSize);
      const index = this.parts.index;
      for (const change of page.changes) {
        if (change.paper) index.upsert(change.paper);
        else index.remove(change.id);
      }
      applied += page.changes.length;
      this.mark = page.mark;
      if (page.done || this.stopped) return applied;
    }
  }

  private async poll(): Promise<void> {
    try {
      await this.sync();
      const every = this.options.snapshotEveryMs ?? 10 * 60_000;
      if (performance.now() - this.lastSave > every) await this.save();
    } catch (error) {
      this.warn(error, "search index sync failed; retrying");
    }
  }

  private warn(error: unknown, message: string): void {
    this.options.logger.warn({ err: (error as Error).message ?? String(error) }, message);
  }
}
