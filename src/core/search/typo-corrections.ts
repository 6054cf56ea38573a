import type { PaperIndex } from "./paper-index.js";

const gramsOf = (word: string): string[] => {
  const padded = `^${word}$`;
  const grams: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) grams.push(padded.slice(i, i + 3));
  return grams;
};

/** Optimal string alignment distance (a swap of neighbours is one edit), giving up past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows = [new Array<number>(b.length + 1).fill(0), [], []] as number[][];
  for (let j = 0; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i % 3] as number[];
    const prev = rows[(i - 1) % 3] as number[];
    const prev2 = rows[(i - 2 + 3) % 3] as number[];
    row[0] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, (prev2[j - 2] as number) + 1);
      row[j] = value;
      best = Math.min(best, value);
    }
    if (best > max) return max + 1;
  }
  return (rows[a.length % 3] as number[])[b.length] as number;
}

/**
 * The candidates at the smallest distance, in their order: with "transformer" one swap from
 * "transfromer", "transformed" (two edits) is another word, not the one meant.
 */
export function closestOnly<T extends { distance: number }>(candidates: T[]): T[] {
  const closest = Math.min(...candidates.map((c) => c.distance));
  return candidates.filter((c) => c.distance === closest);
}

/**
 * How many edits a typo of this word may be: one, and two only in long words. Two edits in a short
 * word reach other words ("protein" -> "proven"), which is a different topic, not a typo.
 */
export function typoReach(word: string): number {
  return word.length >= 8 ? 2 : 1;
}

/**
 * Typo tolerance over the corpus's own words: a trigram index of the vocabulary finds words sharing
 * most of a typed word's trigrams, and edit distance (typoReach) confirms them.
 * Built lazily, and extended with the words indexed since, so the index never pays for it up front.
 */
export class TypoCorrections {
  private readonly grams = new Map<string, number[]>();
  private indexed = 0;

  constructor(private readonly index: PaperIndex) {}

  /** The corpus words within reach of `word` that are closest to it, the more common first, then alphabetical. */
  similar(word: string, limit: number): string[] {
    this.catchUp();
    const max = typoReach(word);
    const grams = gramsOf(word);
    const shared = new Map<number, number>();
    for (const gram of new Set(grams))
      for (const at of this.grams.get(gram) ?? []) shared.set(at, (shared.get(at) ?? 0) + 1);
    const { wordList, words } = this.index;
    const found: { word: string; distance: number; df: number }[] = [];
    for (const [at, count] of shared) {
      if (count < grams.length - 3 * max) continue;
      const candidate = wordList[at] as string;
      const distance = editDistance(word, candidate, max);
      if (distance > max) continue;
      const df = this.index.documentFrequency(words.get(candidate) as number);
      if (df > 0) found.push({ word: candidate, distance, df });
    }
    found.sort((a, b) => a.distance - b.distance || b.df - a.df || (a.word < b.word ? -1 : 1));
    return closestOnly(found)
      .slice(0, limit)
      .map((f) => f.word);
  }

  private catchUp(): void {
    const list = this.index.wordList;
    for (; this.indexed < list.length; this.indexed++) {
      const word = list[this.indexed] as string;
      if (/\d/.test(word)) continue;
      for (const gram of new Set(gramsOf(word))) {
        const entries = this.grams.get(gram);
        if (entries) entries.push(this.indexed);
        else this.grams.set(gram, [this.indexed]);
      }
    }
  }
}
