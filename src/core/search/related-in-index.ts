import type { RelatedTo } from "./index-host.js";
import type { PaperIndex } from "./paper-index.js";
import type { IndexHit } from "./query-index.js";
import type { DocumentRanker } from "./rank-documents.js";
import { type Clause, idf } from "./ranking-plan.js";
import { forEachTerm } from "./text-terms.js";

/** The paper's most telling terms that make up the "query". */
const TERMS = 12;
const TITLE_REPEAT = 3;
const DAY_MS = 86_400_000;

/**
 * "More like this" in the index: papers sharing a paper's most distinctive terms, weighted by tf-idf
 * (title words count thrice), ranked like a search; the paper itself is left out.
 */
export function relatedInIndex(
  parts: { index: PaperIndex; ranker: DocumentRanker },
  paper: RelatedTo,
  k: number,
  now: Date,
): IndexHit[] {
  const { index, ranker } = parts;
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
  const today = Math.floor(now.getTime() / DAY_MS);
  return ranker
    .rank(clauses, k + 1, today)
    .map((r) => ({ id: index.docs.ids[r.doc] as string, score: r.score }))
    .filter((r) => r.id !== paper.id)
    .slice(0, k);
}
