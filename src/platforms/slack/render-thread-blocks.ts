import type { Briefing, Reply } from "../../core/reply.js";
import { escapeMrkdwn, mrkdwnLink } from "./escape-mrkdwn.js";
import { type Block, context, replyBlocks, section } from "./render-blocks.js";

/** A briefing as a thread reply: the three points, links, related papers, the opening question. */
function briefingBlocks(b: Briefing): Block[] {
  const points = b.points.map((p) => `• *${p.label}:* ${escapeMrkdwn(p.text)}`).join("\n");
  const links = b.links
    .map((l) => mrkdwnLink(l.url, l.label))
    .filter((l) => l.trim())
    .join("  ·  ");
  return [
    section(`*In short*\n${points}`),
    ...(b.keywords.length > 0 ? [context(`Keywords: ${escapeMrkdwn(b.keywords.join(", "))}`)] : []),
    ...(links ? [context(links)] : []),
    ...(b.related.length > 0
      ? [section(`*More like this*\n${b.related.map((c) => `• ${mrkdwnLink(c.url, c.title)}`).join("\n")}`)]
      : []),
    section(`💬 ${escapeMrkdwn(b.question)}`),
    context(`From ${escapeMrkdwn(b.basis)}. Mention me in this thread with a question about the paper.`),
  ];
}

/** Blocks for a reply in a paper's thread: the briefing's own layout, or the usual reply blocks. */
export function threadReplyBlocks(reply: Reply): Block[] {
  return reply.briefing ? briefingBlocks(reply.briefing) : replyBlocks({ ...reply, shareCommand: undefined });
}
