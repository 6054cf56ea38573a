import type { ListedPaper, PaperStore, SearchGroup } from "../ports.js";
import { type AnalyzedQuery, analyzeQuery, queryWords } from "./analyze-query.js";
import type { LiveSearchIndex } from "./live-search-index.js";
import { nextTurn } from "./next-turn.js";
import { trustworthy } from "./query-index.js";
import { idf } from "./ranking-plan.js";
import { rerankPapers } from "./rerank-papers.js";
import type { SemanticReranker } from "./semantic-rerank.js";
import { closestOnly, editDistance, typoReach } from "./typo-corrections.js";

/**
 * Candidates taken from the index for the final rerank, which reads their stored text from the
 * database: proximity lifts a paper by half at most, so one below the fifteenth rarely could have
 * made the top five, and each candidate read costs as much as ranking a hundred thousand papers.
 */
export const CANDIDATES = 15;

export interface SearchOptions {
  limit: number;
  channelId?: number | undefined;
  /** The in-process index; searches go to the database's full-text search until it is ready. */
  index?: LiveSearchIndex | undefined;
  /** "Now" for the recency boost. */
  now?: Date;
  /** Reorders the best candidates by meaning, when an embeddings endpoint is configured. */
  semantic?: SemanticReranker | undefined;
}

export interface SearchOutcome {
  query: AnalyzedQuery;
  papers: ListedPaper[];
  /** Typed word -> the corpus words searched instead (typo tolerance). */
  corrections: Map<string, string[]>;
  /** Typed words no paper has: the papers found match the rest of the query. */
  missing: string[];
}

/** The words the corpus dictionary (search_terms) counts: 3 to 30 characters, starting with a letter. */
const COUNTED = /^[a-z][a-z0-9]{2,29}$/;

/**
 * Documents containing a phrase, estimated as its rarest counted word's count. Short words ("in",
 * "of", "kv") are not in the dictionary and say nothing; a phrase of only such words counts as common.
 */
function phraseDocs(phrase: string, docs: Map<string, number>, total: number): number {
  const counted = queryWords(phrase).filter((w) => COUNTED.test(w));
  return counted.length === 0 ? total : Math.min(...counted.map((w) => docs.get(w) ?? 0));
}

/**
 * Finds papers for what a person typed: concepts and their synonyms, misspelled words replaced by
 * the closest words of the corpus, each concept weighted by how rare it is.
 */
export async function searchPapers(
  store: PaperStore,
  input: string,
  options: SearchOptions,
): Promise<SearchOutcome> {
  const query = analyzeQuery(input);
  if (query.concepts.length === 0) return { query, papers: [], corrections: new Map(), missing: [] };
  const { semantic, limit } = options;
  // With a semantic rerank, the text search hands over all its best candidates, not only the top few.
  const wanted = { ...options, limit: semantic ? Math.max(CANDIDATES, limit) : limit };
  const fromIndex = options.index?.isReady ? await searchIndex(store, options.index, query, wanted) : null;
  const outcome = fromIndex ?? (await searchDatabase(store, query, wanted));
  // Meaning reorders and widens what the words found; it is not asked when they found nothing, since
  // the nearest papers to a topic the library lacks are still the nearest ones.
  if (!semantic || outcome.papers.length === 0) return outcome;
  const load = (ids: string[]) => store.getMany(ids, options.channelId);
  return { ...outcome, papers: (await semantic.rerank(input, outcome.papers, load)).slice(0, limit) };
}

/**
 * The index path: BM25F over title and body with synonyms as concepts, coverage and static boosts,
 * for the best CANDIDATES papers; then their stored text decides proximity, and channel votes count.
 * Null when the index failed meanwhile.
 */
async function searchIndex(
  store: PaperStore,
  index: LiveSearchIndex,
  query: AnalyzedQuery,
  options: SearchOptions,
): Promise<SearchOutcome | null> {
  await index.catchUp();
  const found = await index.search(query, Math.max(CANDIDATES, options.limit * 3), options.now ?? new Date());
  if (!found) return null;
  if (found.hits.length === 0)
    return { query, papers: [], corrections: found.corrections, missing: found.missing };
  const rows = await store.getMany(
    found.hits.map((h) => h.id),
    options.channelId,
  );
  // The rerank and the answer's rendering that follows are the other few milliseconds: a turn too.
  await nextTurn();
  const scores = new Map(found.hits.map((h) => [h.id, h.score]));
  return {
    query,
    papers: rerankPapers(rows, scores, found, options.limit),
    corrections: found.corrections,
    missing: found.missing,
  };
}

/** The database path (PostgreSQL full-text search), used while the index is loading. */
async function searchDatabase(
  store: PaperStore,
  query: AnalyzedQuery,
  options: SearchOptions,
): Promise<SearchOutcome> {
  const corrections = new Map<string, string[]>();

  const words = [...new Set(query.concepts.flatMap((c) => c.alternatives.flatMap(queryWords)))];
  const stats = await store.termStats(words);
  const groups: SearchGroup[] = [];
  const clauses: { terms: string[] }[] = [];
  const guessed: boolean[] = [];
  const missing: string[] = [];
  for (const concept of query.concepts) {
    let alternatives = concept.alternatives;
    let df = Math.max(...alternatives.map((a) => phraseDocs(a, stats.docs, stats.total)));
    if (df === 0 && alternatives.length === 1 && concept.typed.length >= 4 && !/\d/.test(concept.typed)) {
      // Trigram neighbours are only candidates: a typo is within typoReach edits, so a topic the
      // library lacks ("protein") finds nothing rather than "protocol".
      const max = typoReach(concept.typed);
      const near = (await store.similarWords(concept.typed, 5))
        .map((word) => ({ word, distance: editDistance(concept.typed, word, max) }))
        .filter((w) => w.distance <= max);
      const similar = closestOnly(near)
        .map((w) => w.word)
        .slice(0, 2);
      if (similar.length > 0) {
        corrections.set(concept.typed, similar);
        const more = await store.termStats(similar);
        alternatives = similar;
        df = Math.max(...similar.map((w) => more.docs.get(w) ?? 0));
      }
    }
    clauses.push({ terms: df === 0 ? [] : alternatives });
    if (df === 0) missing.push(concept.typed);
    guessed.push(alternatives !== concept.alternatives);
    // A concept the corpus has never seen would only dilute the others' weights.
    if (df === 0) continue;
    groups.push({ alternatives, weight: idf(stats.total, df) });
  }
  if (groups.length === 0 || !trustworthy(clauses, guessed))
    return { query, papers: [], corrections, missing };
  const papers = await store.search({
    groups,
    text: query.text,
    limit: options.limit,
    channelId: options.channelId,
  });
  return { query, papers, corrections, missing };
}
