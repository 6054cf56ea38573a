import { paperUrl, toCard } from "../core/paper-card.js";
import type { Period } from "../core/ports.js";
import { COLOR, PLAIN, renderCard } from "../platforms/terminal/render-text.js";
import { type CliCommand, intOption, needRuntime } from "./cli-command.js";
import { findChannel } from "./find-channel.js";

const PERIODS: Period[] = ["day", "week", "month", "all"];

export const topCommand: CliCommand = {
  name: "top",
  usage: "top [--period day|week|month|all] [--channel ID] [--json]",
  summary: "most upvoted papers",
  options: {
    period: { type: "string" },
    channel: { type: "string" },
    json: { type: "boolean" },
    limit: { type: "string" },
  },
  async run(context) {
    const runtime = needRuntime(context);
    const period = String(context.values.period ?? "week") as Period;
    if (!PERIODS.includes(period)) {
      console.error(`paperboy top: --period is day, week, month or all, not "${period}"`);
      return 2;
    }
    const limit = intOption(context.values.limit, "limit", 10, 100);
    if (typeof limit === "string") {
      console.error(`paperboy top: ${limit}`);
      return 2;
    }
    let channelId: number | undefined;
    if (context.values.channel) {
      const channel = await findChannel(runtime, String(context.values.channel));
      if (!channel) {
        console.error(
          `paperboy top: no channel "${context.values.channel}" is known (it appears once the bot is used there)`,
        );
        return 1;
      }
      channelId = channel.id;
    }
    const papers = await runtime.store.papers.top(period, runtime.clock.now(), {
      ...(channelId ? { channelId } : {}),
      limit,
    });
    if (context.values.json) {
      console.log(
        JSON.stringify(
          papers.map((p) => ({ id: p.id, title: p.title, votes: p.votes, url: paperUrl(p) })),
          null,
          2,
        ),
      );
      return 0;
    }
    if (papers.length === 0) console.log(`No votes in the last ${period === "all" ? "ever" : period} yet.`);
    const style = process.stdout.isTTY ? COLOR : PLAIN;
    for (const [i, paper] of papers.entries()) console.log(renderCard(toCard(paper), style, String(i + 1)));
    return 0;
  },
};
