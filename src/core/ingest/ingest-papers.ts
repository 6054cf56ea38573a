import type { PaperSource, SourceRequest } from "../paper-source.js";
import type { PaperStore } from "../ports.js";
import { fail, ok, type Result } from "../result.js";

export interface IngestSummary {
  source: string;
  fetched: number;
  inserted: number;
  updated: number;
}

/** Fetches from a source and stores what came, all or nothing: a failed fetch writes nothing. */
export async function ingestPapers(
  store: PaperStore,
  source: PaperSource,
  request: SourceRequest,
  now: Date,
): Promise<Result<IngestSummary>> {
  const fetched = await source.fetch(request);
  if (!fetched.ok) return fail(`${source.name}: ${fetched.error}`);
  if (fetched.value.length === 0) return ok({ source: source.name, fetched: 0, inserted: 0, updated: 0 });
  const saved = await store.upsert(fetched.value, now);
  return ok({ source: source.name, fetched: fetched.value.length, ...saved });
}
