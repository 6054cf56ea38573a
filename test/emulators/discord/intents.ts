import { GatewayIntentBits } from "discord.js";
import { mentionedUserIds } from "./payloads.js";

type Json = Record<string, unknown>;
const I = GatewayIntentBits;

/** Intents that gate each dispatch (gateway docs, "List of Intents"); [guild intent, DM intent]. */
const GATED: Record<string, [number, number]> = {};
const gate = (guild: number, dm: number, ...events: string[]) => {
  for (const t of events) GATED[t] = [guild, dm];
};
gate(I.Guilds, 0, "GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE", "GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE");
gate(I.Guilds, 0, "GUILD_ROLE_DELETE", "CHANNEL_CREATE", "CHANNEL_UPDATE", "CHANNEL_DELETE", "THREAD_CREATE");
gate(I.Guilds, 0, "THREAD_UPDATE", "THREAD_DELETE", "THREAD_LIST_SYNC", "THREAD_MEMBER_UPDATE");
gate(I.GuildMembers, 0, "GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE", "GUILD_MEMBER_REMOVE");
gate(I.GuildMessages, I.DirectMessages, "MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE");
gate(I.GuildMessages, 0, "MESSAGE_DELETE_BULK");
gate(I.GuildMessageReactions, I.DirectMessageReactions, "MESSAGE_REACTION_ADD", "MESSAGE_REACTION_REMOVE");
gate(
  I.GuildMessageReactions,
  I.DirectMessageReactions,
  "MESSAGE_REACTION_REMOVE_ALL",
  "MESSAGE_REACTION_REMOVE_EMOJI",
);
gate(I.GuildMessageTyping, I.DirectMessageTyping, "TYPING_START");

export const PRIVILEGED = I.GuildMembers | I.GuildPresences | I.MessageContent;

/** The intent a session needs to receive `t`: the guild intent, or the DM one when there is no guild. */
export function requiredIntent(t: string, guildId: string | undefined): number {
  const [guildIntent, dmIntent] = GATED[t] ?? [0, 0];
  return guildId === undefined ? dmIntent : guildIntent;
}

/**
 * Without the Message Content intent, guild messages arrive with empty content, embeds, attachments
 * and components, unless the bot wrote them or is mentioned in them.
 */
export function withoutContent(intents: number, botId: string, t: string, d: Json): Json {
  if ((t !== "MESSAGE_CREATE" && t !== "MESSAGE_UPDATE") || d.guild_id === undefined) return d;
  if (intents & I.MessageContent) return d;
  const author = (d.author ?? {}) as Json;
  if (author.id === botId || mentionedUserIds(String(d.content ?? "")).includes(botId)) return d;
  return { ...d, content: "", embeds: [], attachments: [], components: [] };
}
