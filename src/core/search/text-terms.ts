import { stemmer } from "stemmer";
import { queryWords } from "./analyze-query.js";
import { FIELD_SYNONYMS } from "./field-synonyms.js";
import { QUERY_STOP_WORDS } from "./query-words.js";

/** Marks a concept term ("~kv cach"): words are letters and digits only, so it never meets a word. */
export const CONCEPT_MARK = "~";

// Bounded: a real corpus has millions of distinct words, and a stem is cheap to recompute.
const STEM_CACHE_LIMIT = 400_000;
const stems = new Map<string, string>();

/** The stem of one lowercase word; words with digits ("70b", "fp8") are kept as they are. */
export function stemWord(word: string): string {
  let stem = stems.get(word);
  if (stem === undefined) {
    stem = /\d/.test(word) || word.length < 3 ? word : stemmer(word);
    if (stems.size >= STEM_CACHE_LIMIT) stems.clear();
    stems.set(word, stem);
  }
  return stem;
}

const stemPhrase = (phrase: string) => queryWords(phrase).map(stemWord).join(" ");

/** Each synonym group as one concept term, found from any of its forms' stems ("kv caches" too). */
const conceptByStems = new Map<string, string>();
for (const group of FIELD_SYNONYMS) {
  const term = CONCEPT_MARK + stemPhrase(group[0] as string);
  for (const form of group) conceptByStems.set(stemPhrase(form), term);
}
const STARTERS = new Set([...conceptByStems.keys()].map((k) => k.split(" ")[0] as string));
const LONGEST = Math.max(...[...conceptByStems.keys()].map((k) => k.split(" ").length));

/** A word that carries no topic: never indexed, never searched. */
export function isStopWord(word: string): boolean {
  return QUERY_STOP_WORDS.has(word) || (word.length < 2 && !/\d/.test(word));
}

/**
 * Calls `emit` for each term of a text, in order: the stem of every word that is not a stop word, and
 * a concept term where a synonym form starts ("Mixture-of-Experts" emits "~moe" at its first word).
 * `position` is the word's index in the text (stop words count), for proximity; `word` is the
 * surface word of a stem (null for a concept), for typo correction; `span` the words a concept covers. Index and queries share it, so
 * both sides always agree on what a term is.
 */
export function forEachTerm(
  text: string,
  emit: (term: string, position: number, word: string | null, span: number) => void,
): void {
  // NFKC only matters beyond ASCII, and most abstracts are plain ASCII.
  const plain = /[^ -~\s]/.test(text) ? text.normalize("NFKC") : text;
  const raw = plain.replace(/['’][sS]\b/g, "").match(/[\p{L}\p{N}]+/gu) ?? [];
  const words = raw.map((w) => w.toLowerCase());
  const stemmed = words.map(stemWord);
  let conceptEnd = 0;
  for (let i = 0; i < words.length; i++) {
    const stem = stemmed[i] as string;
    if (i >= conceptEnd && STARTERS.has(stem)) {
      for (let n = Math.min(LONGEST, words.length - i); n >= 1; n--) {
        const concept = conceptByStems.get(n === 1 ? stem : stemmed.slice(i, i + n).join(" "));
        if (concept === undefined) continue;
        emit(concept, i, null, n);
        conceptEnd = i + n;
        break;
      }
    }
    const word = words[i] as string;
    if (!isStopWord(word)) emit(stem, i, word, 1);
    // "FlashAttention" is also "flash attention"; parts of three letters or more, so MoE stays whole.
    const original = raw[i] as string;
    const parts =
      original !== word && /[a-z][A-Z]|[A-Z]{2}[a-z]/.test(original) ? camelParts(original) : null;
    if (parts) for (const part of parts) if (!isStopWord(part)) emit(stemWord(part), i, part, 1);
  }
}

function camelParts(word: string): string[] | null {
  const parts = word
    .replace(/([a-z\d])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(" ");
  return parts.length > 1 && parts.every((p) => p.length >= 3) ? parts : null;
}
