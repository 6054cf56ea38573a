import { escapeMarkdown } from "discord.js";
import type { DigestHeader } from "../../core/chat-platform.js";
import type { PaperCard, Reply } from "../../core/reply.js";

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
}

export interface MessageJson {
  content?: string;
  embeds: EmbedJson[];
  components?: unknown[];
  allowedMentions: { parse: [] };
}

/**
 * Text from papers and users made inert: markdown escaped (masked links included), and mention
 * syntax broken with a zero-width space, on top of allowedMentions, so nothing pings even if quoted.
 */
export function inert(text: string): string {
  return escapeMarkdown(text.replace(/[\p{Cc}\p{Cf}]/gu, " "), {
    maskedLink: true,
    heading: true,
    bulletedList: true,
    numberedList: true,
  })
    .replace(/@(everyone|here)/g, "@\u200b$1")
    .replace(/<([@#&!/]|a?:)/g, "<\u200b$1");
}

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

function safeUrl(url: string | null): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}

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
    title: cut(card.title.replace(/[\p{Cc}\p{Cf}]/gu, " "), LIMITS.title),
    url: safeUrl(card.url),
    description: cut(description, LIMITS.description),
    color,
    ...(stats.length > 0 ? { footer: { text: stats.join(" · ") } } : {}),
  };
}

/** Embeds kept within 10 and 6000 characters in all, dropping from the end. */
function withinLimits(embeds: EmbedJson[]): EmbedJson[] {
  const kept: EmbedJson[] = [];
  let total = 0;
  for (const embed of embeds.slice(0, LIMITS.embeds)) {
    const size =
      (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0);
    if (total + size > LIMITS.total) break;
    kept.push(embed);
    total += size;
  }
  return kept;
}

export function replyMessage(reply: Reply): MessageJson {
  const color = COLORS[reply.tone];
  const lines = (reply.lines ?? []).map(inert).join("\n");
  const related = (reply.related ?? [])
    .map((c) => `• ${c.url ? `[${inert(cut(c.title, 150))}](${safeUrl(c.url)})` : inert(c.title)}`)
    .join("\n");
  const summary: EmbedJson = {
    title: cut(reply.title.replace(/[\p{Cc}\p{Cf}]/gu, " "), LIMITS.title),
    color,
    ...(lines || related
      ? {
          description: cut(
            [lines, related ? `**More like this**\n${related}` : ""].filter(Boolean).join("\n\n"),
            LIMITS.description,
          ),
        }
      : {}),
    ...(reply.footer
      ? { footer: { text: cut(reply.footer.replace(/[\p{Cc}\p{Cf}]/gu, " "), LIMITS.footer) } }
      : {}),
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
      `📰 **${inert(header.title)}** · ${header.count} new paper${header.count === 1 ? "" : "s"}\nReact 👍 🔥 🚀 to upvote, 👎 to downvote, 🔖 to save · \`/papers help\``,
      LIMITS.content,
    ),
    embeds: [],
    allowedMentions: { parse: [] },
  };
}
