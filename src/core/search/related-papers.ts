import type { Paper } from "../paper.js";
import type { ListedPaper, PaperStore } from "../ports.js";
import type { LiveSearchIndex } from "./live-search-index.js";
import { type Clause, idf } from "./ranking-plan.js";
import { searchPapers } from "./search-papers.js";
import { forEachTerm } from "./text-terms.js";

/** The paper's most telling terms that make up the "query". */
const TERMS = 12;
const TITLE_REPEAT = 3;
const DAY_MS = 86_400_000;

/**
 * "More like this": papers sharing a paper's most distinctive terms, weighted by tf-idf (title words
 * count thrice), ranked by the index like a search; the paper itself is left out. Without a ready
 * index, a search for the paper's title stands in.
 */
export async function relatedPapers(
  store: PaperStore,
  paper: Pick<Paper, "id" | "title" | "abstract" | "aiSummary" | "aiKeywords">,
  options: { limit: number; channelId?: number | undefined; index?: LiveSearchIndex | undefined; now?: Date },
): Promise<ListedPaper[]> {
  const live = options.index;
  if (!live?.isReady) {
    const found = await searchPapers(store, paper.title, {
      limit: options.limit + 1,
      channelId: options.channelId,
    });
    return found.papers.filter((p) => p.id !== paper.id).slice(0, options.limit);
  }
  await live.catchUp();
  const { index, ranker } = live.tools;
  const counts = new Map<string, number>();
  const add = (text: string, times: number) =>
    forEachTerm(text, (term) => counts.set(term, (counts.get(term) ?? 0) + times));
  add(paper.title, TITLE_REPEAT);
  add([paper.abstract, paper.aiSummary ?? "", paper.aiKeywords.join(", ")].join("\n"), 1);
  const weighted: { termId: number; term: string; weight: number }[] = [];
  for (const [term, tf] of counts) {
    const termId = index.termIds.get(term);
    if (termId === undefined) continue;
    const df = index.documentFrequency(termId);
    if (df === 0) continue;
    weighted.push({ termId, term, weight: (1 + Math.log(tf)) * idf(index.liveDocs, df) });
  }
  weighted.sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1));
  const top = weighted.slice(0, TERMS);
  const max = top[0]?.weight ?? 1;
  const clauses: Clause[] = top.map((t) => ({ terms: [{ termId: t.termId, weight: t.weight / max }] }));
  const today = Math.floor((options.now ?? new Date()).getTime() / DAY_MS);
  const ranked = ranker
    .rank(clauses, options.limit + 1, today)
    .map((r) => ({ id: index.docs.ids[r.doc] as string, score: r.score }))
    .filter((r) => r.id !== paper.id)
    .slice(0, options.limit);
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
