import type { ChangeMark, Logger, PaperStore } from "../ports.js";
import type { AnalyzedQuery } from "./analyze-query.js";
import type { IndexHost, IndexState, RelatedTo } from "./index-host.js";
import { InlineIndexHost } from "./inline-index-host.js";
import type { IndexHit, IndexQuery } from "./query-index.js";

const DEFAULT_POLL_MS = 2_000;
/** A page of the feed sent to the host, and where the feed stands once it is applied. */
type PendingPage = { applying: Promise<IndexState>; mark: ChangeMark | null; count: number };
/** After the index's host failed (its thread ran out of memory, say), the rebuild waits this long. */
const RECOVER_MS = 60_000;

export interface LiveSearchIndexOptions {
  store: PaperStore;
  logger: Logger;
  /**
   * Where the index lives and keeps its snapshot (src/threads/threaded-index-host.ts: a thread of its
   * own); made again after it fails. By default in this thread, without a snapshot.
   */
  host?: (onFailure: (error: Error) => void) => IndexHost;
  /** How often the change feed is read (ms); 0: only when asked (tests). */
  pollMs?: number;
  /** Changes read per request of the feed. */
  pageSize?: number;
  /** While the index changes, a snapshot is written at most this often (ms). */
  snapshotEveryMs?: number;
  /** How long after a failure of the host the index is rebuilt (ms). */
  recoverMs?: number;
}

/**
 * The search index of this process, kept in step with the database: built from the change feed (or
 * loaded from its snapshot and caught up from the snapshot's mark), then fed every change by polling.
 * Every replica reads the same feed in the same order, so all converge on the same index. Until it is
 * ready, searches go to the database's own full-text search.
 */
export class LiveSearchIndex {
  private host: IndexHost;
  private state: IndexState = { liveDocs: 0, version: 0 };
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
    this.host = this.openHost();
  }

  get isReady(): boolean {
    return this.ready;
  }

  get size(): number {
    return this.state.liveDocs;
  }

  /** Loads the snapshot or builds from the database, then polls; resolves once the index is ready. */
  start(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.starting) return this.starting;
    const starting = this.load().then(() => {
      if (this.pollMs > 0 && !this.stopped) {
        this.timer = setInterval(() => void this.poll(), this.pollMs);
        this.timer.unref();
      }
    });
    this.starting = starting;
    // A failed load (the database away) may be tried again by calling start() later; a load of a
    // host that failed meanwhile leaves the rebuild's start alone.
    starting.catch(() => {
      if (this.starting === starting) this.starting = null;
    });
    return starting;
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

  /** The best `k` papers for a query; null when the index failed meanwhile (search the database instead). */
  search(query: AnalyzedQuery, k: number, now: Date): Promise<IndexQuery | null> {
    return this.unlessFailed(this.host.search(query, k, now));
  }

  /** "More like this" (src/core/search/related-in-index.ts); null when the index failed meanwhile. */
  related(paper: RelatedTo, k: number, now: Date): Promise<IndexHit[] | null> {
    return this.unlessFailed(this.host.related(paper, k, now));
  }

  /** Writes a snapshot if anything changed since the last one. */
  async save(): Promise<void> {
    if (!this.ready || this.state.version === this.savedVersion) return;
    await this.saving;
    const { version } = this.state;
    this.saving = this.host.save(this.mark).then((written) => {
      if (!written) return;
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
    await this.host.close();
  }

  private openHost(): IndexHost {
    const onFailure = (error: Error) => this.recover(error);
    return this.options.host?.(onFailure) ?? new InlineIndexHost();
  }

  /** The host is gone with the index: searches go to the database until a new host is built. */
  private recover(error: Error): void {
    this.options.logger.error(
      { err: error.message },
      "search index failed; searching the database until it is rebuilt",
    );
    this.ready = false;
    this.mark = null;
    this.state = { liveDocs: 0, version: 0 };
    this.savedVersion = -1;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.starting = null;
    if (this.stopped) return;
    this.host = this.openHost();
    this.scheduleRebuild();
  }

  /** Builds the new host's index after a pause; tries again while the database is away. */
  private scheduleRebuild(): void {
    const host = this.host;
    const rebuild = () => {
      if (this.stopped || host !== this.host) return;
      this.start().catch((cause) => {
        // A host that failed again was replaced, and its recover() scheduled the next try.
        if (host !== this.host) return;
        this.warn(cause, "search index rebuild failed; trying again");
        this.scheduleRebuild();
      });
    };
    setTimeout(rebuild, this.options.recoverMs ?? RECOVER_MS).unref();
  }

  private async unlessFailed<T>(call: Promise<T>): Promise<T | null> {
    try {
      return await call;
    } catch (error) {
      // The host's failure was already reported (recover); anything else is a fault of the query.
      if (!this.ready) return null;
      throw error;
    }
  }

  private async load(): Promise<void> {
    const { logger, store } = this.options;
    const started = performance.now();
    const restored = await this.host.restore();
    if (restored.kind === "unreadable")
      logger.warn({ err: restored.error }, "search index snapshot unreadable; rebuilding");
    // After an upgrade that changed the index, the first start takes minutes on a big library: say why.
    if (restored.kind === "outdated")
      logger.info(
        "search index snapshot is from another version or configuration; rebuilding from the database",
      );
    if (restored.kind === "restored") {
      this.state = restored.state;
      this.mark = restored.mark;
      this.savedVersion = restored.state.version;
    }
    await this.sync();
    // Stopped while building: a partial index is neither used nor saved.
    if (this.stopped) return;
    // A snapshot of another database, or of one emptied since, disagrees on the count: start over.
    if (restored.kind === "restored" && this.state.liveDocs !== (await store.count())) {
      logger.warn("search index snapshot does not match the database; rebuilding");
      this.state = await this.host.reset();
      this.mark = null;
      this.savedVersion = -1;
      await this.sync();
    }
    if (this.stopped) return;
    this.ready = true;
    logger.info(
      {
        papers: this.state.liveDocs,
        ms: Math.round(performance.now() - started),
        from: restored.kind === "restored" ? "snapshot" : "database",
      },
      "search index ready",
    );
    await this.save().catch((error) => this.warn(error, "search index snapshot not written"));
  }

  private async readFeed(): Promise<number> {
    const { store } = this.options;
    const pageSize = this.options.pageSize ?? 5_000;
    // A host replaced meanwhile (recover) starts from its own mark: this read must not feed it.
    const host = this.host;
    this.lastSync = performance.now();
    this.stale = false;
    let applied = 0;
    // The next page is read while the host applies this one; the mark moves once a page is applied.
    let pending: PendingPage | null = null;
    const settle = async () => {
      if (!pending) return;
      const { applying, mark, count } = pending;
      pending = null;
      const state = await applying;
      if (host !== this.host) throw new Error("the search index was replaced during a sync");
      this.state = state;
      this.mark = mark;
      applied += count;
    };
    try {
      for (;;) {
        const page = await store.changesSince(pending?.mark ?? this.mark, pageSize);
        await settle();
        pending = { applying: host.apply(page.changes), mark: page.mark, count: page.changes.length };
        if (page.done || this.stopped) break;
      }
      await settle();
    } finally {
      // A failed read leaves no call behind whose failure nobody awaits.
      (pending as PendingPage | null)?.applying.catch(() => {});
    }
    return applied;
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
