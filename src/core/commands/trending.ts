import { toCard } from "../paper-card.js";
import { ok } from "../result.js";
import type { CommandDefinition } from "./command.js";

export const trendingCommand: CommandDefinition<Record<string, never>> = {
  name: "trending",
  usage: "/papers trending",
  summary: "what is trending now (HF upvotes, votes, discussion, freshness)",
  parse: () => ok({}),
  async run(deps, context) {
    const channelId = await deps.store.channels.ensureId(context.address);
    const papers = await deps.store.papers.trending(deps.clock.now(), {
      channelId,
      limit: 8,
    });
    if (papers.length === 0) {
      return {
        visibility: "ephemeral",
        tone: "info",
        title: "Nothing trending yet",
        lines: ["No papers from the last 7 days are stored. An admin can load some: npx paperboy ingest"],
      };
    }
    return {
      visibility: "ephemeral",
      tone: "info",
      title: "Trending papers",
      papers: papers.map(toCard),
      shareCommand: "trending",
    };
  },
};
