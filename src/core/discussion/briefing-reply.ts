import type { Briefing, Reply } from "../reply.js";

/** A briefing as a reply: the briefing itself for platforms that render it, plain lines for the rest. */
export function briefingReply(briefing: Briefing): Reply {
  return {
    visibility: "channel",
    tone: "info",
    title: "In short",
    lines: [
      ...briefing.points.map((p) => `${p.label}: ${p.text}`),
      ...(briefing.keywords.length > 0 ? [`Keywords: ${briefing.keywords.join(", ")}`] : []),
      ...(briefing.links.length > 0
        ? [`Links: ${briefing.links.map((l) => `${l.label} ${l.url}`).join(" · ")}`]
        : []),
      `(From ${briefing.basis}. Mention me here with a question about the paper.)`,
    ],
    related: briefing.related,
    footer: `💬 ${briefing.question}`,
    briefing,
  };
}
