import type { ListedPaper } from "../ports.js";
import { forEachTerm } from "./text-terms.js";

/** Neighbouring concepts of the query found side by side (within this many words) in a paper. */
const NEAR = 3;
const PROXIMITY_BONUS = 0.3;
const TITLE_PHRASE_BONUS = 0.2;
/** Channel votes lift a paper by at most this much (50 net votes and more). */
export const VOTE_BOOST = 0.04;

/** Where each clause of the query occurs in a text, by word position. */
function positions(text: string, clauses: string[][]): number[][] {
  const clauseOf = new Map<string, number>();
  clauses.forEach((terms, c) => {
    for (const term of terms) if (!clauseOf.has(term)) clauseOf.set(term, c);
  });
  const found = clauses.map(() => [] as number[]);
  forEachTerm(text, (term, position) => {
    const c = clauseOf.get(term);
    if (c !== undefined && (found[c] as number[]).at(-1) !== position) (found[c] as number[]).push(position);
  });
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
 * standing together (a phrase in the title most of all) and a light one for the asking channel's votes.
 * Both are bounded, so they reorder close candidates and never bury a clearly better match.
 */
export function rerankPapers(
  papers: ListedPaper[],
  textScores: Map<string, number>,
  clauses: string[][],
  limit: number,
): ListedPaper[] {
  const pairs = clauses.length - 1;
  const scored = papers.map((paper) => {
    let bonus = 0;
    if (pairs > 0) {
      const title = nearness(positions(paper.title, clauses));
      const body = nearness(positions(`${paper.abstract}\n${paper.aiSummary ?? ""}`, clauses));
      bonus =
        PROXIMITY_BONUS * (Math.max(title.near, body.near) / pairs) + (title.phrase ? TITLE_PHRASE_BONUS : 0);
    }
    const votes = VOTE_BOOST * Math.min(Math.log1p(Math.max(paper.votes, 0)) / Math.log(50), 1);
    const score = (textScores.get(paper.id) ?? 0) * (1 + bonus) * (1 + votes);
    return { ...paper, score };
  });
  return scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, limit);
}
