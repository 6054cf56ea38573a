import type { DigestHeader } from "../../core/chat-platform.js";
import type { PaperCard, Reply } from "../../core/reply.js";
import { wellFormed } from "../../core/well-formed.js";
import { escapeMrkdwn, fitText, mrkdwnLink, safeUrl } from "./escape-mrkdwn.js";

// biome-ignore lint/suspicious/noExplicitAny: Block Kit blocks are plain JSON; @slack/types' unions add nothing here.
export type Block = Record<string, any>;

/** Slack's limits: 50 blocks a message, 3000 characters a section text, 150 a header, 2000 a button value. */
export const LIMITS = { blocks: 50, section: 3000, header: 150, context: 2000, buttonValue: 2000 } as const;

export const SHARE_ACTION = "paperboy_share";

// verbatim: Slack would otherwise link bare URLs and channel names and parse some mentions in paper text
// on its own; our own <url|label> links still work.
export const section = (text: string): Block => ({
  type: "section",
  text: { type: "mrkdwn", text: fitText(text, LIMITS.section), verbatim: true },
});
export const context = (text: string): Block => ({
  type: "context",
  elements: [{ type: "mrkdwn", text: fitText(text, LIMITS.context), verbatim: true }],
});

function stats(card: PaperCard): string {
  // A link whose URL is unsafe is left out: "code" or "PDF" as bare words would lead nowhere.
  const code = card.codeUrl && safeUrl(card.codeUrl) ? mrkdwnLink(card.codeUrl, "code") : "";
  return [
    card.hfUpvotes !== null ? `▲ ${card.hfUpvotes} on HF` : "",
    card.votes !== 0 ? `${card.votes > 0 ? "+" : ""}${card.votes} in this channel` : "",
    code ? `${code}${card.githubStars ? ` ★ ${card.githubStars}` : ""}` : "",
    card.pdfUrl && safeUrl(card.pdfUrl) ? mrkdwnLink(card.pdfUrl, "PDF") : "",
  ]
    .filter(Boolean)
    .join("  ·  ");
}

/** The bold title line, linked when its URL is safe and short enough to leave room for the rest. */
function titleLine(card: PaperCard, label?: string): string {
  const prefix = label ? `${label}. ` : "";
  const title = fitText(card.title, 300);
  const linked = `${prefix}*${mrkdwnLink(card.url, title)}*`;
  return linked.length <= LIMITS.section / 2 ? linked : `${prefix}*${escapeMrkdwn(title)}*`;
}

/** A paper as two blocks: the linked title with authors and a one-line summary, then its numbers. */
export function cardBlocks(card: PaperCard, label?: string): Block[] {
  const title = titleLine(card, label);
  const body = [
    title,
    card.authors ? `_${escapeMrkdwn(fitText(card.authors, 300))}_` : "",
    escapeMrkdwn(card.summary),
  ]
    .filter(Boolean)
    .join("\n");
  const numbers = stats(card);
  return [section(body), ...(numbers ? [context(numbers)] : [])];
}

/** The plain-text fallback Slack shows in notifications and to screen readers. */
export function fallbackText(reply: Reply): string {
  const first = reply.papers?.[0];
  return escapeMrkdwn(fitText(first && reply.papers?.length === 1 ? first.title : reply.title, 300));
}

/**
 * Header text from paper titles and queries. Slack shows plain_text as typed, but a title's
 * `<!channel>` should not even look like a mention: angle brackets become their quotation lookalikes.
 */
function headerText(title: string): string {
  const inert = wellFormed(title)
    .replace(/[\p{Cc}\p{Cf}]/gu, " ")
    .replace(/</g, "‹")
    .replace(/>/g, "›");
  return fitText(inert.trim(), LIMITS.header) || "paperboy";
}

export function replyBlocks(reply: Reply): Block[] {
  const blocks: Block[] = [{ type: "header", text: { type: "plain_text", text: headerText(reply.title) } }];
  for (const [i, card] of (reply.papers ?? []).entries()) {
    blocks.push(...cardBlocks(card, reply.papers && reply.papers.length > 1 ? String(i + 1) : undefined));
  }
  // Blank lines alone would make an empty section, which Slack refuses (invalid_blocks).
  const lines = (reply.lines ?? []).map(escapeMrkdwn).filter((line) => line.trim());
  if (lines.length > 0) blocks.push(section(lines.join("\n")));
  if (reply.related && reply.related.length > 0) {
    blocks.push(
      section(
        `*More like this*\n${reply.related.map((c) => `• ${mrkdwnLink(c.url, fitText(c.title, 300))}`).join("\n")}`,
      ),
    );
  }
  const footer = escapeMrkdwn(reply.footer ?? "");
  if (footer.trim()) blocks.push(context(footer));
  if (reply.visibility === "ephemeral" && reply.shareCommand) {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: SHARE_ACTION,
          text: { type: "plain_text", text: "Share in channel" },
          value: reply.shareCommand.slice(0, LIMITS.buttonValue),
        },
      ],
    });
  }
  // The actions block (if any) is last and must survive the cut.
  return blocks.length <= LIMITS.blocks
    ? blocks
    : [...blocks.slice(0, LIMITS.blocks - 1), blocks[blocks.length - 1] as Block];
}

export function headerBlocks(header: DigestHeader): Block[] {
  return [
    { type: "header", text: { type: "plain_text", text: headerText(`📰 ${header.title}`) } },
    context(
      `${header.count} new paper${header.count === 1 ? "" : "s"} · react 👍 🔥 🚀 to upvote, 👎 to downvote, 🔖 to save · /papers help`,
    ),
  ];
}
