import type { APIEmbed, APIUser } from "discord.js";
import { fail, type Json } from "./http.js";
import { discordTimestamp } from "./ids.js";
import { botMessage, mentionedUserIds } from "./payloads.js";
import { type State, type StoredMessage, tryDispatch } from "./state.js";
import { FormErrors, isEmptyMessage, validateMessage } from "./validate.js";

const EPHEMERAL = 64;
const LOADING = 128;

/** Users pinged by `<@id>` in content, filtered by allowed_mentions the way Discord resolves `mentions`. */
function mentions(state: State, channelId: string, content: string, allowed: unknown): APIUser[] {
  const rules = (typeof allowed === "object" && allowed !== null ? allowed : undefined) as
    | { parse?: string[]; users?: string[] }
    | undefined;
  const guild = state.world.guildOf(channelId);
  return mentionedUserIds(content)
    .filter((id) => !rules || rules.parse?.includes("users") || rules.users?.includes(id))
    .map((id) =>
      guild
        ? state.world.member(guild, id).user
        : { id, username: "user", discriminator: "0", global_name: null, avatar: null },
    );
}

/** Discord echoes embeds back with `type: "rich"` filled in. */
function embeds(value: unknown): APIEmbed[] {
  return Array.isArray(value)
    ? value.map((e) => ({ type: "rich" as APIEmbed["type"], ...(e as APIEmbed) }))
    : [];
}

export function checkMessageBody(body: Json, files: number, creating: boolean): void {
  const errors = new FormErrors();
  validateMessage(body, errors);
  if (!errors.empty) throw fail.form(errors.tree);
  if (creating && isEmptyMessage(body, files)) throw fail.emptyMessage();
}

/** Store a bot-authored message and tell the gateway, like every route that posts one. */
export function createMessage(
  state: State,
  channelId: string,
  body: Json,
  files: number,
  extra: Partial<StoredMessage> = {},
  allowEmpty = false,
): StoredMessage {
  checkMessageBody(body, files, !allowEmpty);
  const guild = state.world.guildOf(channelId);
  const content = typeof body.content === "string" ? body.content : "";
  const message: StoredMessage = {
    ...botMessage({
      id: state.newId(),
      channel_id: channelId,
      author: state.bot,
      content,
      embeds: embeds(body.embeds),
      components: Array.isArray(body.components) ? body.components : [],
      tts: body.tts === true,
      mentions: mentions(state, channelId, content, body.allowed_mentions),
      flags: Number(body.flags ?? 0) as never,
      ...(body.nonce !== undefined ? { nonce: body.nonce as string } : {}),
      ...(body.message_reference ? { message_reference: body.message_reference as never } : {}),
      ...extra,
    }),
    ...(guild ? { guild_id: guild.id } : {}),
  };
  state.world.messages.set(message.id, message);
  state.created.push(message.id);
  const channel = state.world.channels.get(channelId);
  if (channel && "last_message_id" in channel) channel.last_message_id = message.id;
  if ((Number(message.flags) & EPHEMERAL) === 0) {
    const member = guild?.members.get(state.bot.id);
    const { user: _user, ...memberNoUser } = member ?? { user: undefined };
    tryDispatch(
      state,
      "MESSAGE_CREATE",
      { ...message, ...(member ? { member: memberNoUser } : {}) },
      guild?.id,
    );
  }
  return message;
}

/** Edits replace only the fields sent; a deferred ("thinking") response stops loading on its first edit. */
export function editMessage(state: State, message: StoredMessage, body: Json): StoredMessage {
  checkMessageBody(body, 0, false);
  const wasLoading = (Number(message.flags ?? 0) & LOADING) !== 0;
  if (typeof body.content === "string") {
    message.content = body.content;
    message.mentions = mentions(state, message.channel_id, body.content, body.allowed_mentions);
  }
  if (body.embeds !== undefined) message.embeds = embeds(body.embeds);
  if (body.components !== undefined)
    message.components = Array.isArray(body.components) ? body.components : [];
  message.flags = (Number(message.flags ?? 0) & ~LOADING) as never;
  if (!wasLoading) message.edited_timestamp = discordTimestamp();
  if ((Number(message.flags) & EPHEMERAL) === 0)
    tryDispatch(state, "MESSAGE_UPDATE", { ...message }, message.guild_id);
  return message;
}

/** Keep a stored message's reaction counts in step with adds/removes, so a fetch shows them as Discord would. */
export function countReaction(
  message: StoredMessage,
  emoji: { name: string; id: string | null },
  delta: 1 | -1,
  byBot: boolean,
): void {
  const reactions = message.reactions ?? [];
  let reaction = reactions.find((r) => r.emoji.name === emoji.name && r.emoji.id === emoji.id);
  if (!reaction) {
    if (delta < 0) return;
    reaction = {
      count: 0,
      count_details: { burst: 0, normal: 0 },
      me: false,
      me_burst: false,
      emoji,
      burst_colors: [],
    };
    reactions.push(reaction);
  }
  reaction.count += delta;
  reaction.count_details.normal += delta;
  if (byBot) reaction.me = delta > 0;
  message.reactions = reactions.filter((r) => r.count > 0);
}
