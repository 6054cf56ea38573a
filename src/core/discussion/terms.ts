/** Words that carry no topic in a question about a paper. */
const STOPWORDS = new Set(
  (
    "a an and are as at be been being but by can could did do does doing done for from had has have how i if in " +
    "into is it its it's me my of on or our paper papers so such than that the their them then there these they " +
    "this those to was we were what when where which while who whom why will with would you your about any some " +
    "explain explains tell say says said show shows work works author authors study article here also more most " +
    "use used uses using please thanks thank hi hey hello does just get got much many there's what's whats " +
    "one ones other others very well much should need needs like main key primary overall really actually " +
    "briefly basically exactly kind sort thing things give gives " +
    // Verbs of asking, not of the topic: "what throughput do they reach?" is about throughput.
    "reach reached reaches get gets obtain obtained find found see know mean means happen happens"
  ).split(/\s+/),
);

/** A light suffix stripper: questions and papers go through the same one, so "datasets" meets "dataset". */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("ied") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("ing") && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith("ed") && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith("ss") || (/(?:us|is)$/.test(w) && w.length > 4)) return w;
  else if (/(?:sh|ch|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith("s")) w = w.slice(0, -1);
  // "cache", "caches", "cached" and "caching" all end up "cach".
  return w.length >= 4 && w.endsWith("e") ? w.slice(0, -1) : w;
}

/** Lower-cased, stemmed words of a text (hyphens split: "KV-cache" gives "kv" and "cache"). */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map(stem);
}

/** The words of a question that name its topic: stopwords dropped, each once, in order. */
export function contentWords(text: string): string[] {
  const raw = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  const kept = raw.filter((w) => !STOPWORDS.has(w) && !STOPWORDS.has(w.replace(/'s$/, "")));
  return [...new Set(kept.flatMap((w) => words(w)))];
}
