import type { ListedPaper, PaperStore, SearchGroup } from "../ports.js";
import { type AnalyzedQuery, analyzeQuery, queryWords } from "./analyze-query.js";

export interface SearchOutcome {
  query: AnalyzedQuery;
  papers: ListedPaper[];
  /** Typed word -> the corpus words searched instead (typo tolerance). */
  corrections: Map<string, string[]>;
}

/** Documents containing a phrase, estimated as its rarest word's count. */
function phraseDocs(phrase: string, docs: Map<string, number>): number {
  return Math.min(...queryWords(phrase).map((w) => docs.get(w) ?? 0));
}

/** BM25's idf: rare concepts weigh more, and a concept in every paper weighs almost nothing. */
function idf(total: number, df: number): number {
  return Math.log(1 + (total - df + 0.5) / (df + 0.5));
}

/**
 * Finds papers for what a person typed: concepts and their synonyms, misspelled words replaced by
 * the closest words of the corpus, each concept weighted by how rare it is.
 */
export async function searchPapers(
  store: PaperStore,
  input: string,
  options: { limit: number; channelId?: number | undefined },
): Promise<SearchOutcome> {
  const query = analyzeQuery(input);
  const corrections = new Map<string, string[]>();
  if (query.concepts.length === 0) return { query, papers: [], corrections };

  const words = [...new Set(query.concepts.flatMap((c) => c.alternatives.flatMap(queryWords)))];
  const stats = await store.termStats(words);
  const groups: SearchGroup[] = [];
  for (const concept of query.concepts) {
    let alternatives = concept.alternatives;
    let df = Math.max(...alternatives.map((a) => phraseDocs(a, stats.docs)));
    if (df === 0 && alternatives.length === 1 && concept.typed.length >= 4 && !/\d/.test(concept.typed)) {
      const similar = await store.similarWords(concept.typed, 2);
      if (similar.length > 0) {
        corrections.set(concept.typed, similar);
        const more = await store.termStats(similar);
        alternatives = similar;
        df = Math.max(...similar.map((w) => more.docs.get(w) ?? 0));
      }
    }
    // A concept the corpus has never seen would only dilute the others' weights.
    if (df === 0) continue;
    groups.push({ alternatives, weight: idf(stats.total, df) });
  }
  if (groups.length === 0) return { query, papers: [], corrections };
  const papers = await store.search({
    groups,
    text: query.text,
    limit: options.limit,
    channelId: options.channelId,
  });
  return { query, papers, corrections };
}
