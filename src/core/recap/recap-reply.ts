import { DateTime } from "luxon";
import { clip } from "../paper-card.js";
import type { ListedPaper } from "../ports.js";
import type { Reply } from "../reply.js";
import type { RecapWeek } from "./recap-week.js";

const LISTED = 5;

/** "12–18 Jan 2026": the recapped week as people say it. */
export function weekLabel(week: RecapWeek): string {
  const from = DateTime.fromISO(week.from);
  const last = DateTime.fromISO(week.to).minus({ days: 1 });
  return `${from.toFormat(from.month === last.month ? "d" : "d LLL")}–${last.toFormat("d LLL yyyy")}`;
}

const numbers = (p: ListedPaper) =>
  `${p.votes > 0 ? "+" : ""}${p.votes} vote${Math.abs(p.votes) === 1 ? "" : "s"} · ${p.replies} repl${p.replies === 1 ? "y" : "ies"}`;

/** The recap's text: the week's most upvoted papers, then the most discussed. */
export function recapReply(papers: ListedPaper[], week: RecapWeek): Reply {
  const upvoted = papers.filter((p) => p.votes > 0).slice(0, LISTED);
  const discussed = [...papers]
    .filter((p) => p.replies > 0)
    .sort((a, b) => b.replies - a.replies || b.votes - a.votes || a.id.localeCompare(b.id))
    .slice(0, 3);
  const line = (p: ListedPaper, i: number) => `${i + 1}. ${clip(p.title, 120)} — ${numbers(p)}`;
  return {
    visibility: "channel",
    tone: "info",
    title: `📊 The week in papers · ${weekLabel(week)}`,
    lines: [
      "Most upvoted:",
      ...(upvoted.length > 0 ? upvoted.map(line) : ["(no votes last week)"]),
      "Most discussed:",
      ...(discussed.length > 0 ? discussed.map(line) : ["(no thread replies last week)"]),
    ],
    footer: "Votes: 👍 🔥 🚀 ❤️ ⬆️ minus 👎 ⬇️ in this channel. Discussion: replies in each paper's thread.",
  };
}
