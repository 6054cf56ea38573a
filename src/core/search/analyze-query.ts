import { FIELD_SYNONYMS } from "./field-synonyms.js";
import { QUERY_STOP_WORDS } from "./query-words.js";

/** A concept the user asked for: every way of writing it. */
export interface QueryConcept {
  /** The form the user typed. */
  typed: string;
  alternatives: string[];
}

export interface AnalyzedQuery {
  /** The query as words (lowercase, hyphens and punctuation folded), stop words kept out. */
  text: string;
  concepts: QueryConcept[];
}

export const MAX_QUERY_LENGTH = 200;

/** Lowercase words of a text: letters and digits only, so no operator of any query language survives. */
export function queryWords(text: string): string[] {
  return (
    text
      .normalize("NFKC")
      .toLowerCase()
      .replace(/['’]s\b/g, "")
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

const synonymIndex = (() => {
  const index = new Map<string, readonly string[]>();
  for (const concept of FIELD_SYNONYMS)
    for (const form of concept) index.set(queryWords(form).join(" "), concept);
  return index;
})();
const LONGEST_FORM = Math.max(...[...synonymIndex.keys()].map((k) => k.split(" ").length));

/**
 * Turns what someone typed ("papers about making LLM inference faster?") into concepts to match
 * ("llm" or "large language model"…, "inference", "faster" or "speedup"…). Never throws.
 */
export function analyzeQuery(input: string): AnalyzedQuery {
  const words = queryWords(input.slice(0, MAX_QUERY_LENGTH * 2)).slice(0, 32);
  const concepts: QueryConcept[] = [];
  const kept: string[] = [];
  for (let i = 0; i < words.length; ) {
    let matched = false;
    // Longest known phrase first, so "mixture of experts" is one concept and not three words.
    for (let n = Math.min(LONGEST_FORM, words.length - i); n >= 1 && !matched; n--) {
      const phrase = words.slice(i, i + n).join(" ");
      const concept = synonymIndex.get(phrase);
      if (!concept) continue;
      concepts.push({
        typed: phrase,
        alternatives: [...new Set(concept.map((f) => queryWords(f).join(" ")))],
      });
      kept.push(phrase);
      i += n;
      matched = true;
    }
    if (matched) continue;
    const word = words[i] as string;
    i++;
    if (QUERY_STOP_WORDS.has(word) || (word.length < 2 && !/\d/.test(word))) continue;
    concepts.push({ typed: word, alternatives: [word] });
    kept.push(word);
  }
  const unique = concepts.filter((c, index) => concepts.findIndex((d) => d.typed === c.typed) === index);
  return { text: kept.join(" ").slice(0, MAX_QUERY_LENGTH), concepts: unique.slice(0, 12) };
}
