import type { Briefing, Reply } from "../../core/reply.js";
import {
  cut,
  inertWithin,
  LIMITS,
  type MessageJson,
  maskedLink,
  plainText,
  replyMessage,
} from "./render-embeds.js";

/** A briefing as one embed: the three points, links, related papers, the opening question. */
function briefingMessage(b: Briefing): MessageJson {
  // Every part is escaped within the description's budget: escaping a long text is slow, and the
  // whole is cut to the budget anyway.
  const within = (text: string) => inertWithin(text, LIMITS.description);
  const description = [
    b.points.map((p) => `• **${p.label}:** ${within(p.text)}`).join("\n"),
    b.keywords.length > 0 ? `*${within(b.keywords.join(", "))}*` : "",
    b.links.map((l) => maskedLink(l.label, l.url)).join(" · "),
    b.related.length > 0
      ? `**More like this**\n${b.related.map((c) => `• ${maskedLink(c.title, c.url)}`).join("\n")}`
      : "",
    `💬 ${within(b.question)}`,
  ].filter(Boolean);
  const title = "In short";
  const text = cut(description.join("\n\n"), LIMITS.description);
  // The footer gets what the title and description leave of the embed's 6000 characters.
  const room = Math.min(LIMITS.footer, LIMITS.total - title.length - text.length);
  const footer = `From ${cut(b.basis, room)}. Mention me in this thread with a question about the paper.`;
  return {
    embeds: [{ title, description: text, color: 0x2a9d8f, footer: { text: cut(plainText(footer), room) } }],
    allowedMentions: { parse: [] },
  };
}

/** A reply in a paper's thread: the briefing's own embed, or the usual reply embeds without the Share button. */
export function threadReplyMessage(reply: Reply): MessageJson {
  return reply.briefing
    ? briefingMessage(reply.briefing)
    : replyMessage({ ...reply, shareCommand: undefined });
}
