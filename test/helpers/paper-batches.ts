import type { Paper } from "../../src/core/paper.js";

/**
 * `papers` in batches of `size`, as a bulk load streams them. `before(start)` runs before each batch:
 * a test can break the source there (throw) or the database (kill its connections).
 */
export async function* paperBatches(
  papers: Paper[],
  size: number,
  before?: (start: number) => Promise<void> | void,
): AsyncIterable<Paper[]> {
  for (let start = 0; start < papers.length; start += size) {
    await before?.(start);
    yield papers.slice(start, start + size);
  }
}
