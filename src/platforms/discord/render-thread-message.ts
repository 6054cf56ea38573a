import type { Briefing, Reply } from "../../core/reply.js";
import { inert, LIMITS, type MessageJson, replyMessage, safeUrl } from "./render-embeds.js";

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

const link = (label: string, url: string) => {
  const safe = safeUrl(url);
  return safe ? `[${inert(label)}](${safe})` : inert(label);
};

/** A briefing as one embed: the three points, links, related papers, the opening question. */
function briefingMessage(b: Briefing): MessageJson {
  const description = [
    b.points.map((p) => `• **${p.label}:** ${inert(p.text)}`).join("\n"),
    b.keywords.length > 0 ? `*${inert(b.keywords.join(", "))}*` : "",
    b.links.map((l) => link(l.label, l.url)).join(" · "),
    b.related.length > 0
      ? `**More like this**\n${b.related.map((c) => `• ${link(cut(c.title, 150), c.url)}`).join("\n")}`
      : "",
    `💬 ${inert(b.question)}`,
  ].filter(Boolean);
  return {
    embeds: [
      {
        title: "In short",
        description: cut(description.join("\n\n"), LIMITS.description),
        color: 0x2a9d8f,
        footer: {
          text: cut(
            `From ${b.basis}. Mention me in this thread with a question about the paper.`,
            LIMITS.footer,
          ),
        },
      },
    ],
    allowedMentions: { parse: [] },
  };
}

/** A reply in a paper's thread: the briefing's own embed, or the usual reply embeds without the Share button. */
export function threadReplyMessage(reply: Reply): MessageJson {
  return reply.briefing
    ? briefingMessage(reply.briefing)
    : replyMessage({ ...reply, shareCommand: undefined });
}
