import { describe, expect, it } from "vitest";
import { contentWords, stem, words } from "../../src/core/discussion/terms.js";

describe("the question and paper stemmer", () => {
  it("brings a word's forms together, so a question meets the paper's wording", () => {
    const forms = [
      ["try", "tried", "tries"],
      ["study", "studied", "studies"],
      ["dataset", "datasets"],
      ["cache", "caches", "cached", "caching"],
      ["save", "saves", "saved", "saving"],
    ];
    for (const group of forms) expect(new Set(group.map(stem)).size, group.join(" ")).toBe(1);
    // Different words stay apart.
    expect(stem("tried")).not.toBe(stem("tree"));
    expect(stem("focus")).toBe("focus");
  });

  it("keeps the topic words of a question and drops the rest", () => {
    expect(contentWords("Which tokenizers did they try?")).toEqual(["tokenizer", "try"]);
    expect(contentWords("What throughput do they reach?")).toEqual(["throughput"]);
    expect(words("every tokenizer we tried")).toContain("try");
  });
});
