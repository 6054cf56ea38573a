/** A word and its plural (or singular) share one form: "transformers" is "transformer" as asked. */
function wordForm(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (/(?:ss|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  return /[^siu]s$/.test(word) ? word.slice(0, -1) : word;
}

/**
 * Matches any of `words` as asked, or its plural or singular, as a whole word of a lowercase text;
 * null for no words. Query words are letters and digits only (queryWords), so none needs escaping.
 */
export function asAskedPattern(words: string[]): RegExp | null {
  const variants = new Set<string>();
  for (const word of words) {
    const form = wordForm(word);
    variants.add(word).add(form).add(`${form}s`).add(`${form}es`);
    if (form.endsWith("y")) variants.add(`${form.slice(0, -1)}ies`);
  }
  if (variants.size === 0) return null;
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${[...variants].join("|")})(?![\\p{L}\\p{N}])`, "u");
}
