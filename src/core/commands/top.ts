import { toCard } from "../paper-card.js";
import type { Period } from "../ports.js";
import { fail, ok } from "../result.js";
import type { CommandDefinition } from "./command.js";

const PERIODS: Record<string, Period> = {
  "": "week",
  day: "day",
  today: "day",
  week: "week",
  month: "month",
  all: "all",
  alltime: "all",
  ever: "all",
};
const LABEL: Record<Period, string> = {
  day: "today",
  week: "this week",
  month: "this month",
  all: "of all time",
};

export const topCommand: CommandDefinition<{ period: Period }> = {
  name: "top",
  usage: "/papers top [day|week|month|all]",
  summary: "this channel's most upvoted and most discussed papers",
  parse(rest) {
    const period =
      PERIODS[
        rest
          .trim()
          .toLowerCase()
          // "all time", "all-time": spacing only; "7" or "7d" is no period, not a silent week.
          .replace(/[\s_-]+/g, "")
      ];
    return period
      ? ok({ period })
      : fail(`"${rest.trim().slice(0, 40)}" is not a period: use day, week, month or all`);
  },
  async run(deps, context, { period }) {
    const channelId = await deps.store.channels.ensureId(context.address);
    const papers = await deps.store.papers.top(period, deps.clock.now(), { channelId, limit: 10 });
    if (papers.length === 0) {
      return {
        visibility: "ephemeral",
        tone: "info",
        title: `No votes or discussion ${LABEL[period]} yet`,
        lines: [
          "React with 👍 (or 🔥 🚀 ❤️ ⬆️) on a posted paper to vote; 👎 ⬇️ vote down; 🔖 saves it to your reading list.",
        ],
      };
    }
    return {
      visibility: "ephemeral",
      tone: "info",
      title: `Top papers ${LABEL[period]}`,
      papers: papers.map(toCard),
      footer:
        "Ranked by votes in this channel; ties go to the most discussed (replies in the paper's thread).",
      shareCommand: `top ${period}`,
    };
  },
};
