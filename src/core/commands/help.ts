import { ok } from "../result.js";
import type { AnyCommand, CommandDefinition } from "./command.js";

/** Help lists every command; the registry passes itself in, so help never goes stale. */
export function helpCommand(all: () => AnyCommand[]): CommandDefinition<Record<string, never>> {
  return {
    name: "help",
    usage: "/papers help",
    summary: "this list",
    parse: () => ok({}),
    async run() {
      return {
        visibility: "ephemeral",
        tone: "info",
        title: "paperboy: the day's trending papers, in this channel",
        lines: [
          ...all().map((c) => `${c.usage} — ${c.summary}`),
          "Votes: react 👍 🔥 🚀 ❤️ ⬆️ on a posted paper to upvote, 👎 ⬇️ to downvote, 🔖 to save it.",
        ],
      };
    },
  };
}
