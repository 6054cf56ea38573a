import fc from "fast-check";
import { beforeEach, expect, it } from "vitest";
import { makePaper } from "../../src/core/paper.js";
import type { PaperStore } from "../../src/core/ports.js";
import { searchPapers } from "../../src/core/search/search-papers.js";
import { createStore } from "../../src/db/store.js";
import { describeEachDatabase } from "../helpers/test-databases.js";
import { anyText, hostileText } from "./hostile-text.js";

const NOW = new Date("2026-03-02T08:00:00Z");

/** Query text as people and scripts type it: hostile text, tsquery and SQL operators, near-words of the corpus. */
const queryText = fc.oneof(
  anyText,
  fc
    .array(
      fc.oneof(
        fc.constantFrom("attention", "atention", "cache", "kv", "compression", "mixture of experts", "llm"),
        fc.constantFrom(
          "&",
          "|",
          "!",
          ":*",
          "<->",
          "<2>",
          "(",
          ")",
          "'",
          "''",
          ";",
          "--",
          "\\",
          "%",
          "_",
          "\u0000",
        ),
        hostileText,
      ),
      { maxLength: 20 },
    )
    .map((parts) => parts.join(" ")),
);

describeEachDatabase("search with any query text", (t) => {
  let store: PaperStore;
  beforeEach(async () => {
    store = createStore(t.db).papers;
    await store.upsert(
      [
        makePaper({
          id: "2401.00001",
          title: "Attention is all you need for KV cache compression",
          abstract: "We compress the KV cache of large language models. <!channel> & | ! :* <-> '; --",
          source: "file",
        }),
        makePaper({
          id: "2401.00002",
          title: "Mixture of experts inference, fast",
          abstract: "Experts routed per token, with a cache.",
          source: "file",
        }),
      ],
      NOW,
    );
  });

  it("searchPapers never throws and returns at most the limit", async () => {
    await fc.assert(
      fc.asyncProperty(queryText, async (text) => {
        const outcome = await searchPapers(store, text, { limit: 5, now: NOW });
        expect(outcome.papers.length).toBeLessThanOrEqual(5);
      }),
      { numRuns: 100 },
    );
  });

  it("store.search never throws, whatever its alternatives and text hold", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(queryText, { minLength: 1, maxLength: 3 }), async (alternatives) => {
        const papers = await store.search({
          groups: [{ alternatives, weight: 1 }],
          text: alternatives.join(" "),
          limit: 5,
        });
        expect(papers.length).toBeLessThanOrEqual(5);
      }),
      { numRuns: 100 },
    );
  });
});
