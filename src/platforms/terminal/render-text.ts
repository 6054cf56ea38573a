import type { DigestHeader } from "../../core/chat-platform.js";
import type { PaperCard, Reply } from "../../core/reply.js";

export interface TextStyle {
  bold(text: string): string;
  dim(text: string): string;
  accent(text: string): string;
  error(text: string): string;
}

const ansi = (code: string) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
export const COLOR: TextStyle = { bold: ansi("1"), dim: ansi("2"), accent: ansi("36"), error: ansi("31") };
export const PLAIN: TextStyle = { bold: (t) => t, dim: (t) => t, accent: (t) => t, error: (t) => t };

/**
 * Terminal text is printed as is, so control characters from paper data (and URLs, which come from
 * the same data) are dropped first: no escape sequence gets to move the cursor or hide a link.
 */
export const clean = (text: string) => text.replace(/[\p{Cc}\p{Cf}]/gu, " ");

function stats(card: PaperCard): string {
  return [
    card.hfUpvotes !== null ? `▲ ${card.hfUpvotes} HF` : "",
    card.votes !== 0 ? `${card.votes > 0 ? "+" : ""}${card.votes} here` : "",
    card.replies ? `💬 ${card.replies}` : "",
    card.codeUrl ? `code: ${clean(card.codeUrl)}${card.githubStars ? ` (★ ${card.githubStars})` : ""}` : "",
  ]
    .filter(Boolean)
    .join(" · ");
}

export function renderCard(card: PaperCard, style: TextStyle, label?: string): string {
  const head = `${label ? style.accent(`[${label}] `) : ""}${style.bold(clean(card.title))}`;
  return [
    head,
    card.authors ? `    ${style.dim(clean(card.authors))}` : "",
    card.summary ? `    ${clean(card.summary)}` : "",
    `    ${style.dim([clean(card.url), stats(card)].filter(Boolean).join(" · "))}`,
  ]
    .filter(Boolean)
    .join("\n");
}

export function renderReply(reply: Reply, style: TextStyle): string {
  const title = reply.tone === "error" ? style.error(clean(reply.title)) : style.bold(clean(reply.title));
  const parts = [title];
  for (const [i, card] of (reply.papers ?? []).entries())
    parts.push(renderCard(card, style, reply.papers && reply.papers.length > 1 ? String(i + 1) : undefined));
  for (const line of reply.lines ?? []) parts.push(`  ${clean(line)}`);
  if (reply.related && reply.related.length > 0) {
    parts.push(style.bold("More like this:"));
    for (const card of reply.related) parts.push(`  • ${clean(card.title)} ${style.dim(clean(card.url))}`);
  }
  if (reply.footer) parts.push(style.dim(clean(reply.footer)));
  return parts.join("\n");
}

export function renderHeader(header: DigestHeader, style: TextStyle): string {
  const rule = "─".repeat(Math.max(0, 60 - header.title.length));
  return `\n${style.bold(`📰 ${clean(header.title)}`)} ${style.dim(rule)}\n${style.dim(`${header.count} new paper${header.count === 1 ? "" : "s"} · react with: react <n> 👍  (or 🔖 to save)`)}`;
}

/** A reply in a paper's thread (its briefing, an answer), indented under the paper like a thread. */
export function renderThreadReply(reply: Reply, style: TextStyle): string {
  const bar = style.dim("│");
  const b = reply.briefing;
  const lines = b
    ? [
        style.bold("In short"),
        ...b.points.map((p) => `${style.accent(`${p.label}:`)} ${clean(p.text)}`),
        ...(b.keywords.length > 0 ? [style.dim(`Keywords: ${clean(b.keywords.join(", "))}`)] : []),
        ...b.links.map((l) => style.dim(`${clean(l.label)}: ${clean(l.url)}`)),
        ...(b.related.length > 0
          ? [
              style.bold("More like this:"),
              ...b.related.map((c) => `• ${clean(c.title)} ${style.dim(clean(c.url))}`),
            ]
          : []),
        `💬 ${clean(b.question)}`,
        style.dim(`(From ${clean(b.basis)}. Ask: ask <n> <question>)`),
      ]
    : renderReply(reply, style).split("\n");
  return lines.map((line) => `    ${bar} ${line}`).join("\n");
}
