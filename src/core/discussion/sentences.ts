/** Abbreviations whose period ends no sentence ("e.g.", "et al.", "Fig. 2"). */
const ABBREVIATIONS =
  /\b(?:e\.g|i\.e|et al|etc|vs|cf|fig|figs|eq|eqs|sec|tab|approx|resp|no|dr|mr|ms|st|ca)\.$/i;

/**
 * A text's sentences, in order. Splits after . ! ? before a capital, digit, quote or bracket, but not
 * after common abbreviations or inside decimals, which is what abstracts and papers need.
 */
export function splitSentences(text: string): string[] {
  const clean = text.replace(/\s+/g, " ").trim();
  if (!clean) return [];
  const pieces = clean.split(/(?<=[.!?])\s+(?=["'“([A-Z0-9])/);
  const sentences: string[] = [];
  for (const piece of pieces) {
    const last = sentences[sentences.length - 1];
    if (last !== undefined && (ABBREVIATIONS.test(last) || /\b[A-Z]\.$/.test(last))) {
      sentences[sentences.length - 1] = `${last} ${piece}`;
    } else sentences.push(piece);
  }
  return sentences.filter((s) => /\p{L}/u.test(s));
}
