import type { Paper } from "../paper.js";
import type { PaperStore } from "../ports.js";
import { fail, ok, type Result } from "../result.js";
import type { IngestSummary } from "./ingest-papers.js";

// Big enough that the per-batch statements are noise next to the rows, small enough to stay in memory.
const BATCH = 10_000;

class BadRecord extends Error {}

export interface IngestStreamOptions {
  limit?: number | undefined;
  /** Hears the records checked so far (the first read). */
  checked?: (records: number) => void;
  /** Hears the papers written so far (the second read). */
  progress?: (papers: number) => void;
}

/**
 * Stores a stream of parsed records (a JSONL file of any size) in constant memory, reading it twice:
 * every record is checked before any is written, so a bad line (its message names it) leaves the
 * library as it was, and the store may then write batches side by side, each in a transaction of its
 * own (see PaperStore.bulkUpsert). `open` starts a fresh read of the same records.
 */
export async function ingestStream(
  store: PaperStore,
  source: string,
  open: () => AsyncIterable<Result<Paper>>,
  now: Date,
  options: IngestStreamOptions = {},
): Promise<Result<IngestSummary>> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  let checked = 0;
  for await (const record of open()) {
    if (checked >= limit) break;
    if (!record.ok) return fail(record.error);
    checked++;
    if (checked % 1000 === 0) options.checked?.(checked);
  }
  let fetched = 0;
  async function* batches(): AsyncIterable<Paper[]> {
    let batch: Paper[] = [];
    for await (const record of open()) {
      if (fetched >= limit) break;
      // Only if the file changed since it was checked.
      if (!record.ok) throw new BadRecord(record.error);
      batch.push(record.value);
      fetched++;
      if (batch.length === BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
  try {
    const saved = await store.bulkUpsert(batches(), now, options.progress);
    return ok({ source, fetched, ...saved });
  } catch (error) {
    if (error instanceof BadRecord) return fail(`${error.message} (the file changed while it was loaded)`);
    throw error;
  }
}
