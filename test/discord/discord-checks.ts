import { expect } from "vitest";
import { defaultGuild } from "../emulators/discord/defaults.js";
import type {
  ChannelSpec,
  DiscordEmulator,
  GuildSpec,
  InteractionCallbackRecord,
  MemberSpec,
  RecordedRequest,
} from "../emulators/discord.js";

type Json = Record<string, unknown>;

/** Discord's documented message limits (Message resource, "Embed Limits"). */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  total: 6000,
  title: 256,
  description: 4096,
  footer: 2048,
} as const;

export interface EmbedWire {
  title?: string;
  description?: string;
  url?: string;
  footer?: { text: string };
  [key: string]: unknown;
}

export function embedsOf(body: unknown): EmbedWire[] {
  const embeds = (body as Json | undefined)?.embeds;
  return Array.isArray(embeds) ? (embeds as EmbedWire[]) : [];
}

/** Every limit Discord enforces on a message body, checked on what went over the wire. */
export function expectWithinLimits(body: unknown): void {
  const message = (body ?? {}) as Json;
  const content = typeof message.content === "string" ? message.content : "";
  expect(content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
  const embeds = embedsOf(message);
  expect(embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
  let total = 0;
  for (const embed of embeds) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.footer);
    total += (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0);
  }
  expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.total);
}

/** Every string in a message body (content, embed titles, descriptions, footers...). */
export function textsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (typeof value === "object" && value !== null) return Object.values(value).flatMap(textsOf);
  return [];
}

/** The only places a link in a rendered paper may point to. */
export const SAFE_LINK = (url: string): boolean =>
  /^https:\/\/(huggingface\.co|arxiv\.org|github\.com)\/[^()[\]\s]*$/.test(url);

/**
 * Syntax Discord would act on in message text: pings (@everyone, @here, <@id>, <@&id>, <#id>) and
 * masked links `[text](url)` whose `[` is not escaped, unless the link points somewhere safe.
 */
export function activeSyntax(texts: string[], safeLink: (url: string) => boolean = SAFE_LINK): string[] {
  const found: string[] = [];
  for (const text of texts) {
    for (const m of text.matchAll(/@(everyone|here)/g)) found.push(m[0]);
    for (const m of text.matchAll(/<(@[!&]?|#|\/[^\s:>]+:)\d+>/g)) found.push(m[0]);
    for (const m of text.matchAll(/(\\*)\[([^\n]*?)\]\(\s*<?([^\s)>]*)>?\s*\)/g)) {
      const backslashes = m[1] ?? "";
      if (backslashes.length % 2 === 1) continue;
      if (!safeLink(m[3] ?? "")) found.push(m[0].slice(backslashes.length));
    }
  }
  return found;
}

/** Markdown escapes and zero-width spaces taken out again: the text a reader sees. */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([^\p{L}\p{N}\s])/gu, "$1").replace(/\u200b/g, "");
}

export interface Answer {
  callback: InteractionCallbackRecord;
  /** The message body the user ends up seeing: the callback's data, or the edit of a deferred reply. */
  body: Json;
  /** The PATCH @original (or follow-up POST) that carried it, for deferred answers. */
  request: RecordedRequest | undefined;
}

/** Waits for an interaction's answer: the callback, and for a deferred one, its first edit or follow-up. */
export async function answerOf(
  emulator: DiscordEmulator,
  handle: { token: string; response: (timeoutMs?: number) => Promise<InteractionCallbackRecord> },
  timeoutMs = 60_000,
): Promise<Answer> {
  const callback = await handle.response(10_000);
  if (callback.type !== 5) return { callback, body: callback.data ?? {}, request: undefined };
  const webhook = `/webhooks/${emulator.applicationId}/${handle.token}`;
  const request = await emulator.waitFor(
    (r) =>
      r.status === 200 &&
      ((r.method === "PATCH" && r.path === `${webhook}/messages/@original`) ||
        (r.method === "POST" && r.path === webhook)),
    timeoutMs,
  );
  return { callback, body: (request.body ?? {}) as Json, request };
}

/** The REST requests an interaction's token was used for, in order ("PATCH @original", "DELETE @original", "POST"). */
export function webhookCalls(emulator: DiscordEmulator, token: string): string[] {
  const webhook = `/webhooks/${emulator.applicationId}/${token}`;
  return emulator.requests
    .filter((r) => r.path.startsWith(webhook))
    .map((r) => `${r.method} ${r.path.slice(webhook.length) || "/"}`);
}

/** Messages the bot posted in a channel itself (not interaction answers), in order. */
export function channelPosts(emulator: DiscordEmulator, channelId: string) {
  return emulator.messages(channelId).filter((m) => m.interaction_metadata === undefined && !m.webhook_id);
}

/** The bot's successful "create message" requests in a channel. */
export function createRequests(emulator: DiscordEmulator, channelId: string): RecordedRequest[] {
  return emulator.requests.filter((r) => r.method === "POST" && r.path === `/channels/${channelId}/messages`);
}

/** A time of day (UTC) twelve hours from now, so no scheduled digest falls inside a test run. */
export function farFromNow(): string {
  const hour = (new Date().getUTCHours() + 12) % 24;
  return `${String(hour).padStart(2, "0")}:00`;
}

/** The emulator's default guild (owner, Moderators member, plain member, #general) plus more. */
export function guildWith(extra: { members?: MemberSpec[]; channels?: ChannelSpec[] }): GuildSpec {
  const base = defaultGuild();
  return {
    ...base,
    members: [...(base.members ?? []), ...(extra.members ?? [])],
    channels: [...(base.channels ?? []), ...(extra.channels ?? [])],
  };
}
