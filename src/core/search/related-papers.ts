import type { Paper } from "../paper.js";
import type { ListedPaper, PaperStore } from "../ports.js";
import type { LiveSearchIndex } from "./live-search-index.js";
import { searchPapers } from "./search-papers.js";

/**
 * "More like this": papers sharing a paper's most distinctive terms, ranked by the index like a
 * search (src/core/search/related-in-index.ts). Without a ready index, a search for the paper's
 * title stands in.
 */
export async function relatedPapers(
  store: PaperStore,
  paper: Pick<Paper, "id" | "title" | "abstract" | "aiSummary" | "aiKeywords">,
  options: { limit: number; channelId?: number | undefined; index?: LiveSearchIndex | undefined; now?: Date },
): Promise<ListedPaper[]> {
  const live = options.index;
  const ranked = live?.isReady ? await live.related(paper, options.limit, options.now ?? new Date()) : null;
  if (!ranked) {
    const found = await searchPapers(store, paper.title, {
      limit: options.limit + 1,
      channelId: options.channelId,
    });
    return found.papers.filter((p) => p.id !== paper.id).slice(0, options.limit);
  }
  const rows = new Map(
    (
      await store.getMany(
        ranked.map((r) => r.id),
        options.channelId,
      )
    ).map((p) => [p.id, p]),
  );
  return ranked.flatMap((r) => {
    const row = rows.get(r.id);
    return row ? [{ ...row, score: r.score }] : [];
  });
}
