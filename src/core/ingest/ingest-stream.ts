import type { Paper } from "../paper.js";
import type { PaperStore } from "../ports.js";
import { fail, ok, type Result } from "../result.js";
import type { IngestSummary } from "./ingest-papers.js";

// Big enough that the per-batch statements are noise next to the rows, small enough to stay in memory.
const BATCH = 10_000;

class BadRecord extends Error {}

/**
 * Stores a stream of parsed records (a JSONL file of any size) in one transaction, batch by batch, in
 * constant memory. The first bad record stops the load and rolls it all back, so a file is still
 * taken whole or not at all; its message names the line.
 */
export async function ingestStream(
  store: PaperStore,
  source: string,
  records: AsyncIterable<Result<Paper>>,
  now: Date,
  options: { limit?: number | undefined; progress?: (papers: number) => void } = {},
): Promise<Result<IngestSummary>> {
  let fetched = 0;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  async function* batches(): AsyncIterable<Paper[]> {
    let batch: Paper[] = [];
    for await (const record of records) {
      if (fetched >= limit) break;
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
    if (error instanceof BadRecord) return fail(error.message);
    throw error;
  }
}
