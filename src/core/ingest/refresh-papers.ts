import type { Metrics } from "../metrics.js";
import type { PaperSource } from "../paper-source.js";
import type { Clock, Logger, Store } from "../ports.js";
import { ingestPapers } from "./ingest-papers.js";

/** A source is asked again for the same day at most this often, however many channels are due. */
export const REFRESH_TTL_MS = 60 * 60_000;
/** After a source fault, wait this long before asking again. */
export const FAULT_RETRY_MS = 10 * 60_000;

const isoDay = (at: Date) => at.toISOString().slice(0, 10);

/**
 * Brings in today's and yesterday's papers from each source, at most once an hour per source and day
 * (the fetch log is in the database, so replicas share it). A failing source is logged and its last
 * good papers are kept.
 */
export async function refreshPapers(deps: {
  store: Store;
  sources: PaperSource[];
  clock: Clock;
  logger: Logger;
  /** The arXiv categories to follow (other sources ignore it). */
  query?: string;
  /** Counts each fetch by source and outcome; nothing when absent. */
  metrics?: Metrics;
}): Promise<number> {
  const now = deps.clock.now();
  let inserted = 0;
  for (const source of deps.sources) {
    for (const date of [isoDay(now), isoDay(new Date(now.getTime() - 86_400_000))]) {
      const last = await deps.store.sourceFetches.lastFetch(source.name, date);
      const age = last ? now.getTime() - last.fetchedAt.getTime() : Number.POSITIVE_INFINITY;
      if (age < (last?.error ? FAULT_RETRY_MS : REFRESH_TTL_MS)) continue;
      const result = await ingestPapers(
        deps.store.papers,
        source,
        { date, ...(deps.query ? { query: deps.query } : {}) },
        now,
      );
      deps.metrics?.sourceFetched(source.name, result.ok ? "ok" : "error");
      if (result.ok) {
        inserted += result.value.inserted;
        await deps.store.sourceFetches.recordFetch(source.name, date, now, result.value.fetched, null);
        deps.logger.info({ ...result.value, date }, "papers refreshed");
      } else {
        await deps.store.sourceFetches.recordFetch(source.name, date, now, 0, result.error);
        deps.logger.warn(
          { source: source.name, date, err: result.error },
          "source fault: keeping the papers already stored",
        );
      }
    }
  }
  return inserted;
}
