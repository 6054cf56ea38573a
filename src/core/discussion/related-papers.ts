import type { ListedPaper, PaperStore } from "../ports.js";
import { searchPapers } from "../search/search-papers.js";

/**
 * "More like this" for a paper, from the corpus. For now a search by the paper's title; the one place
 * to swap in a proper related-papers ranking (src/core/search) when it exists.
 */
export async function relatedPapers(
  store: PaperStore,
  paper: ListedPaper,
  limit = 3,
): Promise<ListedPaper[]> {
  const found = await searchPapers(store, paper.title, { limit: limit + 1 });
  return found.papers.filter((p) => p.id !== paper.id).slice(0, limit);
}
