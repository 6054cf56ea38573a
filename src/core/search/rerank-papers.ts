import type { ListedPaper } from "../ports.js";
import type { IndexQuery } from "./query-index.js";
import { forEachTerm } from "./text-terms.js";
import { asAskedPattern } from "./word-form.js";

/** Neighbouring concepts of the query found side by side (within this many words) in a paper. */
const NEAR = 3;
const PROXIMITY_BONUS = 0.3;
const TITLE_PHRASE_BONUS = 0.2;
/**
 * A query word that a paper has only as a stem sibling, never as asked (nor its plural), takes this
 * much off the paper's score, shared over the query's concepts: stems join words of other meanings
 * ("transformer" and "transformed"), which an index of stems alone can't tell apart.
 */
const SIBLING_ONLY_PENALTY = 0.5;
/** Channel votes lift a paper by at most this much (50 net votes and more). */
export const VOTE_BOOST = 0.04;

/** A text's terms in order, with their word positions: what proximity needs from it. */
interface TermStream {
  text: string;
  terms: string[];
  positions: Uint32Array;
}

// The same papers come back for many searches, and reading a text's terms (stemming every word) costs
// far more than looking them up: the streams of the last few thousand texts are kept.
const STREAM_CACHE_LIMIT = 4_000;
const streams = new Map<string, TermStream>();

function termStream(key: string, text: string): TermStream {
  const hit = streams.get(key);
  if (hit && hit.text === text) {
    // Map order is insertion order: moved to the end, it is the last to be evicted.
    streams.delete(key);
    streams.set(key, hit);
    return hit;
  }
  const terms: string[] = [];
  const at: number[] = [];
  forEachTerm(text, (term, position) => {
    terms.push(term);
    at.push(position);
  });
  const stream = { text, terms, positions: Uint32Array.from(at) };
  streams.delete(key);
  if (streams.size >= STREAM_CACHE_LIMIT) streams.delete(streams.keys().next().value as string);
  streams.set(key, stream);
  return stream;
}

/** Where each clause of the query occurs in a text, by word position; `clauseOf` maps a term to its clause. */
function positions(stream: TermStream, clauseOf: Map<string, number>, clauses: number): number[][] {
  const found = Array.from({ length: clauses }, () => [] as number[]);
  const { terms, positions: at } = stream;
  for (let i = 0; i < terms.length; i++) {
    const c = clauseOf.get(terms[i] as string);
    const position = at[i] as number;
    if (c !== undefined && (found[c] as number[]).at(-1) !== position) (found[c] as number[]).push(position);
  }
  return found;
}

/** How many neighbouring pairs of clauses occur near each other, and whether all do in order. */
function nearness(found: number[][]): { near: number; phrase: boolean } {
  let near = 0;
  let phrase = true;
  for (let c = 0; c + 1 < found.length; c++) {
    const a = found[c] as number[];
    const b = found[c + 1] as number[];
    let close = false;
    let inOrder = false;
    for (const x of a)
      for (const y of b) {
        if (Math.abs(y - x) <= NEAR) close = true;
        if (y >= x && y - x <= NEAR) inOrder = true;
      }
    if (close) near++;
    if (!inOrder) phrase = false;
  }
  return { near, phrase };
}

/**
 * The final order of the best candidates, read from their stored text: a bonus for the query's concepts
 * standing together (a phrase in the title most of all), a penalty for query words found only as stem
 * siblings, and a light bonus for the asking channel's votes. All are bounded, so they reorder close
 * candidates and never bury a clearly better match.
 */
export function rerankPapers(
  papers: ListedPaper[],
  textScores: Map<string, number>,
  query: Pick<IndexQuery, "clauses" | "forms">,
  limit: number,
): ListedPaper[] {
  const { clauses } = query;
  const pairs = clauses.length - 1;
  const clauseOf = new Map<string, number>();
  clauses.forEach((terms, c) => {
    for (const term of terms) if (!clauseOf.has(term)) clauseOf.set(term, c);
  });
  const asAsked = clauses.map((_, c) => asAskedPattern(query.forms[c] ?? []));
  const anyAsked = asAsked.some(Boolean);
  const at = (key: string, text: string) => positions(termStream(key, text), clauseOf, clauses.length);
  const scored = papers.map((paper) => {
    const body = `${paper.abstract}\n${paper.aiSummary ?? ""}`;
    let bonus = 0;
    // With one concept, every candidate has it: the index found them by it.
    let has = (_c: number) => true;
    if (pairs > 0) {
      const inTitle = at(`t:${paper.id}`, paper.title);
      const inBody = at(`b:${paper.id}`, body);
      const title = nearness(inTitle);
      const near = Math.max(title.near, nearness(inBody).near);
      bonus = PROXIMITY_BONUS * (near / pairs) + (title.phrase ? TITLE_PHRASE_BONUS : 0);
      has = (c) => (inTitle[c] as number[]).length > 0 || (inBody[c] as number[]).length > 0;
    }
    const lower = anyAsked ? `${paper.title}\n${body}`.toLowerCase() : "";
    const siblingsOnly = asAsked.filter((pattern, c) => pattern && has(c) && !pattern.test(lower)).length;
    const kept = 1 - (SIBLING_ONLY_PENALTY * siblingsOnly) / clauses.length;
    const votes = VOTE_BOOST * Math.min(Math.log1p(Math.max(paper.votes, 0)) / Math.log(50), 1);
    const score = (textScores.get(paper.id) ?? 0) * kept * (1 + bonus) * (1 + votes);
    return { ...paper, score };
  });
  return scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, limit);
}
