import { toCard } from "../paper-card.js";
import type { Reply } from "../reply.js";
import { ok } from "../result.js";
import { MAX_QUERY_LENGTH } from "../search/analyze-query.js";
import { searchPapers } from "../search/search-papers.js";
import { sliceWhole } from "../well-formed.js";
import type { CommandDefinition } from "./command.js";

const RESULTS = 5;

export const searchCommand: CommandDefinition<{ query: string; limit?: number }> = {
  name: "search",
  usage: "/papers <topic>",
  summary: "find papers on a topic (also: /papers search <topic>)",
  // Never half an emoji at the cut: a lone surrogate would reach the reply and the share button.
  parse: (rest) => ok({ query: sliceWhole(rest, MAX_QUERY_LENGTH) }),
  async run(deps, context, { query, limit = RESULTS }): Promise<Reply> {
    const channelId = await deps.store.channels.ensureId(context.address);
    const outcome = await searchPapers(deps.store.papers, query, {
      limit,
      channelId,
      index: deps.searchIndex,
      now: deps.clock.now(),
      semantic: deps.semanticSearch,
    });
    const shown = query.length > 60 ? `${sliceWhole(query, 57)}…` : query;
    if (outcome.query.concepts.length === 0) {
      return {
        visibility: "ephemeral",
        tone: "info",
        title: "What should I look for?",
        lines: ["Give me a topic, e.g. /papers compression or /papers mixture of experts inference"],
      };
    }
    const corrected = [...outcome.corrections].map(([typed, words]) => `"${typed}" → ${words.join(" or ")}`);
    const notes = [
      ...(corrected.length > 0 ? [`Also searched: ${corrected.join(", ")}`] : []),
      ...(outcome.missing.length > 0
        ? [
            `No paper here mentions ${outcome.missing.map((w) => `"${w}"`).join(" or ")}: these match the rest.`,
          ]
        : []),
    ];
    if (outcome.papers.length === 0) {
      return {
        visibility: "ephemeral",
        tone: "info",
        title: `No papers found for "${shown}"`,
        lines: ["Try fewer or broader words, or /papers trending to see what is new."],
      };
    }
    return {
      visibility: "ephemeral",
      tone: "info",
      title: `Papers on "${shown}"`,
      papers: outcome.papers.map(toCard),
      ...(notes.length > 0 ? { footer: notes.join(" ") } : {}),
      // "search" first: a topic such as "top week" or "subscribe" must not be re-run as that command.
      shareCommand: `search ${query}`,
    };
  },
};
