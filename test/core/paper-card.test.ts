import { expect, it } from "vitest";
import { clip, firstSentence } from "../../src/core/paper-card.js";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

it("cuts titles and summaries without splitting an emoji, at any length", () => {
  for (let max = 21; max <= 130; max++) {
    for (const text of [
      `a${"😀".repeat(100)}`,
      "😀".repeat(100),
      `${"word ".repeat(10)}${"😀".repeat(60)}`,
    ]) {
      const clipped = clip(text, max);
      expect(LONE_SURROGATE.test(clipped), `clip ${max}`).toBe(false);
      expect(clipped.length).toBeLessThanOrEqual(max);
      expect(LONE_SURROGATE.test(firstSentence(text, max)), `firstSentence ${max}`).toBe(false);
    }
  }
});
