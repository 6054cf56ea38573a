import { toCard } from "../paper-card.js";
import { ok } from "../result.js";
import type { CommandDefinition } from "./command.js";

export const savedCommand: CommandDefinition<Record<string, never>> = {
  name: "saved",
  usage: "/papers saved",
  summary: "your reading list (papers you reacted to with 🔖)",
  parse: () => ok({}),
  async run(deps, context) {
    const papers = await deps.store.votes.saved(context.address.platform, context.userRef, 20);
    if (papers.length === 0) {
      return {
        visibility: "ephemeral",
        tone: "info",
        title: "Your reading list is empty",
        lines: ["React with 🔖 on a posted paper to save it here."],
      };
    }
    return { visibility: "ephemeral", tone: "info", title: "Your reading list", papers: papers.map(toCard) };
  },
};
