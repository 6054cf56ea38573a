import type { AnalyzedQuery } from "./analyze-query.js";
import type { PaperIndex } from "./paper-index.js";
import type { DocumentRanker } from "./rank-documents.js";
import type { Clause } from "./ranking-plan.js";
import { forEachTerm } from "./text-terms.js";
import type { TypoCorrections } from "./typo-corrections.js";

/** The exact words typed count a little on top of their concept, so "quantization" ranks papers saying so first. */
const TYPED_FORM_WEIGHT = 0.25;
const DAY_MS = 86_400_000;

export interface IndexHit {
  id: string;
  score: number;
}

export interface IndexQuery {
  /** Each concept of the query as its index terms (concept term first), for ranking and proximity. */
  clauses: string[][];
  /**
   * Per clause, the words it was asked as (the typed word, or the corpus words that replaced a typo);
   * empty for a synonym concept. A paper saying one of them beats one with only a stem sibling
   * ("transformer" against "transformed"): see rerankPapers.
   */
  forms: string[][];
  hits: IndexHit[];
  /** Typed word -> the corpus words searched instead. */
  corrections: Map<string, string[]>;
  /** Typed words no paper has, near or exact: the answer matches the rest of the query. */
  missing: string[];
}

/**
 * The best `k` papers of the index for an analyzed query. Concepts are found the way the index found
 * them in the papers (stems, synonym groups as one term), and a word the corpus lacks is replaced by
 * its closest corpus words.
 */
export function queryIndex(
  parts: { index: PaperIndex; ranker: DocumentRanker; typos: TypoCorrections },
  query: AnalyzedQuery,
  k: number,
  now: Date,
): IndexQuery {
  const { index } = parts;
  const corrections = new Map<string, string[]>();
  const clauses: string[][] = [];
  const forms: string[][] = [];
  const weighted: Clause[] = [];
  /** Per clause: found only through typo corrections. */
  const guessed: boolean[] = [];
  const missing: string[] = [];
  const known = (term: string) => {
    const id = index.termIds.get(term);
    return id !== undefined && index.documentFrequency(id) > 0 ? id : undefined;
  };
  let coveredUntil = -1;
  let open: { terms: string[]; clause: Clause } | null = null;
  forEachTerm(query.text, (term, position, word, span) => {
    if (word === null) {
      open = { terms: [term], clause: { terms: [] } };
      const id = known(term);
      if (id !== undefined) open.clause.terms.push({ termId: id, weight: 1 });
      clauses.push(open.terms);
      forms.push([]);
      weighted.push(open.clause);
      guessed.push(false);
      coveredUntil = position + span - 1;
      return;
    }
    if (position <= coveredUntil && open) {
      const current = open as { terms: string[]; clause: Clause };
      const id = known(term);
      if (id !== undefined) current.clause.terms.push({ termId: id, weight: TYPED_FORM_WEIGHT, bonus: true });
      current.terms.push(term);
      return;
    }
    const id = known(term);
    const clause: Clause = { terms: id === undefined ? [] : [{ termId: id, weight: 1 }] };
    const terms = [term];
    const asked = [word];
    if (id === undefined && word.length >= 4 && !/\d/.test(word)) {
      const similar = parts.typos.similar(word, 2);
      if (similar.length > 0) corrections.set(word, similar);
      asked.push(...similar);
      for (const surface of similar) {
        const termId = index.words.get(surface) as number;
        if (clause.terms.some((t) => t.termId === termId)) continue;
        clause.terms.push({ termId, weight: 1 });
        terms.push(index.terms[termId] as string);
      }
    }
    if (clause.terms.length === 0) missing.push(word);
    clauses.push(terms);
    forms.push(asked);
    weighted.push(clause);
    guessed.push(id === undefined);
  });
  const asked = { clauses: clauses.slice(0, 16), forms: forms.slice(0, 16), corrections, missing };
  if (!trustworthy(weighted, guessed)) return { ...asked, hits: [] };
  const today = Math.floor(now.getTime() / DAY_MS);
  const hits = parts.ranker
    .rank(weighted.slice(0, 16), k, today)
    .map((r) => ({ id: index.docs.ids[r.doc] as string, score: r.score }));
  return { ...asked, hits };
}

/**
 * A query with a concept the library has never seen ("protein folding" in an ML library) is answered
 * from its other concepts only when one of them matched as typed: matches made of typo guesses alone
 * ("folding" -> "holding") would be unrelated papers, and "No papers found" is the honest answer.
 */
export function trustworthy(clauses: { terms: unknown[] }[], guessed: boolean[]): boolean {
  const unknown = clauses.some((c) => c.terms.length === 0);
  return !unknown || clauses.some((c, i) => c.terms.length > 0 && !guessed[i]);
}
