import { expect, it } from "vitest";
import { asAskedPattern } from "../../src/core/search/word-form.js";

it("finds a word as asked or as its plural or singular, and not the words a stemmer joins to it", () => {
  const has = (asked: string, text: string) => asAskedPattern([asked])?.test(text) ?? false;
  expect(has("transformer", "pruning vision transformers.")).toBe(true);
  expect(has("transformers", "a transformer model")).toBe(true);
  expect(has("strategy", "three strategies")).toBe(true);
  expect(has("strategies", "one strategy")).toBe(true);
  expect(has("class", "two classes")).toBe(true);
  expect(has("boxes", "one box")).toBe(true);
  expect(has("analysis", "an analysis of")).toBe(true);
  // A stemmer's siblings, and words that merely contain the word, are other words.
  expect(has("transformer", "features are transformed")).toBe(false);
  expect(has("optimizer", "optimization of")).toBe(false);
  expect(has("compression", "decompression")).toBe(false);
  expect(has("net", "network")).toBe(false);
  expect(asAskedPattern([])).toBeNull();
});
