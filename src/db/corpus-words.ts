import type { Paper } from "../core/paper.js";

const WORD = /[a-z][a-z0-9]{2,29}/g;

/** Each surface word of the papers' titles and abstracts with the number of papers it occurs in, sorted. */
export function corpusWords(batch: Paper[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const paper of batch) {
    const words = new Set(`${paper.title} ${paper.abstract}`.toLowerCase().match(WORD) ?? []);
    for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  // Sorted so that concurrent writers lock rows in the same order and never deadlock.
  return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
