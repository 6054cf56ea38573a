import { escapeMarkdown } from "discord.js";
import type { DigestHeader } from "../../core/chat-platform.js";
import type { PaperCard, Reply } from "../../core/reply.js";
import { wellFormed } from "../../core/well-formed.js";

/** Discord's limits: 10 embeds a message, 6000 characters across them, 256 a title, 4096 a description, 2000 content. */
export const LIMITS = {
  embeds: 10,
  total: 6000,
  title: 256,
  description: 4096,
  footer: 2048,
  content: 2000,
  customId: 100,
} as const;

export const SHARE_PREFIX = "paperboy_share:";
const COLORS = { info: 0x1d3557, success: 0x2a9d8f, error: 0xe63946 } as const;

export interface EmbedJson {
  title?: string;
  url?: string;
  description?: string;
  color?: number;
  footer?: { text: string };
  /** An image shown in the embed, e.g. `attachment://chart.png` for a file sent with the message. */
  image?: { url: string };
}

export interface MessageJson {
  content?: string;
  embeds: EmbedJson[];
  components?: unknown[];
  allowedMentions: { parse: [] };
}

/**
 * Text from papers and users made inert: markdown escaped, every square bracket included (so no
 * masked link can form, however many a text holds), and mention syntax broken with a zero-width
 * space, on top of allowedMentions, so nothing pings even if quoted.
 */
export function inert(text: string): string {
  return escapeMarkdown(wellFormed(text).replace(/[\p{Cc}\p{Cf}]/gu, " "), {
    maskedLink: false,
    heading: true,
    bulletedList: true,
    numberedList: true,
  })
    .replace(/[[\]]/g, "\\$&")
    .replace(/@(everyone|here)/g, "@\u200b$1")
    .replace(/<([@#&!/]|a?:)/g, "<\u200b$1");
}

/**
 * Text for a footer, which Discord shows as typed (no markdown, so no escapes that would show): only
 * mention and masked-link syntax broken, control characters dropped, and lone surrogates replaced.
 */
export function plainText(text: string): string {
  return wellFormed(text)
    .replace(/[\p{Cc}\p{Cf}]/gu, " ")
    .replace(/\]\(/g, "]\u200b(")
    .replace(/@(everyone|here)/g, "@\u200b$1")
    .replace(/<([@#&!/]|a?:)/g, "<\u200b$1");
}

/**
 * At most `max` UTF-16 units, with an ellipsis when cut; never splitting a surrogate pair, and never
 * leaving an escaping backslash at the end (it would escape the ellipsis, or show).
 */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
  const backslashes = /\\*$/.exec(kept)?.[0].length ?? 0;
  if (backslashes % 2 === 1) kept = kept.slice(0, -1);
  return `${kept}…`;
}

/**
 * An http(s) URL fit for an embed or a masked link, else undefined: no other scheme, no user:password@
 * (a link that reads like one host and goes to another), and parentheses and brackets percent-encoded,
 * so a URL cannot close its own `[text](url)` and open another link after it.
 */
export function safeUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return undefined;
  if (parsed.username || parsed.password) return undefined;
  const origin = `${parsed.protocol}//${parsed.host}`;
  const rest = parsed.toString().slice(origin.length);
  // "@everyone" in a path reads as a ping in the URL of a link's text; %40 means the same to the server.
  const encoded = rest.replace(
    /[()[\]<> ]|@(?=everyone|here)/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${origin}${encoded}`;
}

/**
 * Escaped text within `max`. Cut before escaping too: escaping only lengthens text, and its patterns
 * are slow on a very long one (a 10 kB title would take most of a second).
 */
export const inertWithin = (text: string, max: number) => cut(inert(cut(text, max)), max);

/**
 * Text for the label of a masked link of ours, `[label](url)`: inert, and no escaped `]` right before
 * a `(`, which a lax parser could read as the end of the label with a link to some other URL.
 */
const linkLabel = (text: string, max: number): string => inertWithin(text, max).replace(/\]\(/g, "]\u200b(");

/** `[label](url)` when the URL is safe, else the label alone as text. */
export function maskedLink(label: string, url: string | null | undefined): string {
  const safe = safeUrl(url);
  return safe ? `[${linkLabel(label, 150)}](${safe})` : inertWithin(label, 150);
}

/** A title for an embed: escaped like any text, and within Discord's 256 characters. */
const embedTitle = (text: string) => inertWithin(text, LIMITS.title);

export function cardEmbed(card: PaperCard, color: number = COLORS.info): EmbedJson {
  const stats = [
    card.hfUpvotes !== null ? `▲ ${card.hfUpvotes} on HF` : "",
    card.votes !== 0 ? `${card.votes > 0 ? "+" : ""}${card.votes} here` : "",
    card.githubStars ? `★ ${card.githubStars}` : "",
  ].filter(Boolean);
  const code = safeUrl(card.codeUrl);
  const description = [
    card.authors ? `*${inert(cut(card.authors, 300))}*` : "",
    inert(cut(card.summary, 1000)),
    code ? `[code](${code})` : "",
  ]
    .filter(Boolean)
    .join("\n");
  return {
    title: embedTitle(card.title),
    url: safeUrl(card.url),
    description: cut(description, LIMITS.description),
    color,
    ...(stats.length > 0 ? { footer: { text: stats.join(" · ") } } : {}),
  };
}

const sizeOf = (embed: EmbedJson) =>
  (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0);

/**
 * Embeds kept within 10 and 6000 characters in all, dropping papers from the end. The first (the
 * answer itself) always stays, its description shortened if it alone is too long, so a message is
 * never left empty.
 */
function withinLimits(embeds: EmbedJson[]): EmbedJson[] {
  const kept: EmbedJson[] = [];
  let total = 0;
  for (const embed of embeds.slice(0, LIMITS.embeds)) {
    let fitted = embed;
    if (kept.length === 0 && sizeOf(embed) > LIMITS.total && embed.description) {
      const room = LIMITS.total - (sizeOf(embed) - embed.description.length);
      fitted = { ...embed, description: cut(embed.description, Math.max(room, 1)) };
    }
    if (total + sizeOf(fitted) > LIMITS.total) break;
    kept.push(fitted);
    total += sizeOf(fitted);
  }
  return kept;
}

export function replyMessage(reply: Reply): MessageJson {
  const color = COLORS[reply.tone];
  // Each line escaped within what is left of the description: escaping a long text is slow, and what
  // is past the description's end would be cut anyway.
  const kept: string[] = [];
  let room = LIMITS.description;
  for (const line of reply.lines ?? []) {
    if (room <= 0) break;
    const escaped = inertWithin(line, room);
    kept.push(escaped);
    room -= escaped.length + 1;
  }
  const lines = kept.join("\n");
  const related = (reply.related ?? []).map((c) => `• ${maskedLink(c.title, c.url)}`).join("\n");
  const footer = cut(plainText(cut(reply.footer ?? "", LIMITS.footer)), LIMITS.footer);
  const summary: EmbedJson = {
    title: embedTitle(reply.title),
    color,
    ...(lines || related
      ? {
          description: cut(
            [lines, related ? `**More like this**\n${related}` : ""].filter(Boolean).join("\n\n"),
            LIMITS.description,
          ),
        }
      : {}),
    ...(footer.trim() ? { footer: { text: footer } } : {}),
  };
  const embeds = withinLimits([summary, ...(reply.papers ?? []).map((c) => cardEmbed(c, color))]);
  const share =
    reply.visibility === "ephemeral" && reply.shareCommand ? `${SHARE_PREFIX}${reply.shareCommand}` : null;
  return {
    embeds,
    allowedMentions: { parse: [] },
    ...(share && share.length <= LIMITS.customId
      ? {
          components: [
            { type: 1, components: [{ type: 2, style: 2, label: "Share in channel", custom_id: share }] },
          ],
        }
      : {}),
  };
}

export function headerMessage(header: DigestHeader): MessageJson {
  return {
    content: cut(
      `📰 **${inertWithin(header.title, 1000)}** · ${header.count} new paper${header.count === 1 ? "" : "s"}\nReact 👍 🔥 🚀 to upvote, 👎 to downvote, 🔖 to save · \`/papers help\``,
      LIMITS.content,
    ),
    embeds: [],
    allowedMentions: { parse: [] },
  };
}
