/** Builders for the gateway events tests inject: interactions, reactions, user messages. */
import type { APIUser } from "discord.js";
import type { Json } from "./http.js";
import { interactionToken } from "./ids.js";
import { countReaction } from "./messages.js";
import { interactionData, reactionAddData, reactionRemoveData, userMessageData } from "./payloads.js";
import type { InteractionState, State } from "./state.js";
import { bits } from "./world.js";

export interface InteractionOption {
  /** 1 sub-command, 2 group, 3 string, 4 integer, 5 boolean, 6 user, 7 channel, 8 role, 10 number. */
  type: number;
  name: string;
  value?: string | number | boolean;
  /** Autocomplete: the option the user is typing in. */
  focused?: boolean;
  options?: InteractionOption[];
}

export interface InteractionContext {
  guildId?: string;
  channelId?: string;
  /** Defaults to the first configured member (the owner in the default guild). */
  userId?: string;
  /** Overrides the computed `member.permissions` (role + overwrite based). */
  memberPermissions?: bigint | string;
  /** "button": a click on a button (custom_id = first argument) of the bot's message `messageId`. */
  type?: "command" | "autocomplete" | "button";
  messageId?: string;
}

export interface ReactionInput {
  userId: string;
  channelId: string;
  messageId: string;
  guildId?: string;
  emoji: { name: string; id?: string | null };
  burst?: boolean;
}

export interface UserMessageInput {
  channelId: string;
  userId: string;
  content: string;
  id?: string;
}

function walk(options: InteractionOption[], visit: (o: InteractionOption) => void): void {
  for (const option of options) {
    visit(option);
    walk(option.options ?? [], visit);
  }
}

export function firstTextChannel(state: State, guildId: string): string {
  const guild = state.world.guilds.get(guildId);
  const id = guild?.channelIds.find((c) => state.world.channels.get(c)?.type === 0);
  if (!id) throw new Error(`Discord emulator: guild ${guildId} has no text channel`);
  return id;
}

/** Discord sends the registered command's id; unregistered names get a stable id per emulator and name. */
const unregistered = new WeakMap<State, Map<string, string>>();
function commandId(state: State, name: string, guildId: string): { id: string; guild_id?: string } {
  const guildCommand = state.commands.get(guildId)?.find((c) => c.name === name);
  if (guildCommand) return { id: guildCommand.id, guild_id: guildId };
  const global = state.commands.get("global")?.find((c) => c.name === name);
  if (global) return { id: global.id };
  const ids = unregistered.get(state) ?? new Map<string, string>();
  unregistered.set(state, ids);
  if (!ids.has(name)) ids.set(name, state.newId());
  return { id: ids.get(name) as string };
}

export function buildInteraction(
  state: State,
  name: string,
  options: InteractionOption[],
  ctx: InteractionContext,
): Json {
  const { world } = state;
  const message = ctx.messageId === undefined ? undefined : world.messages.get(ctx.messageId);
  const channelHint = ctx.channelId ?? message?.channel_id;
  const guildId = ctx.guildId ?? (channelHint ? world.guildOf(channelHint)?.id : [...world.guilds.keys()][0]);
  const guild = guildId === undefined ? undefined : world.guilds.get(guildId);
  if (!guild)
    throw new Error(`Discord emulator: no guild for ${ctx.guildId ?? ctx.channelId ?? "(default)"}`);
  const channelId = channelHint ?? firstTextChannel(state, guild.id);
  const channel = world.channels.get(channelId);
  if (!channel) throw new Error(`Discord emulator: unknown channel ${channelId}`);
  const userId = ctx.userId ?? [...guild.members.keys()].find((id) => id !== state.bot.id) ?? guild.ownerId;
  const type = ctx.type === "autocomplete" ? 4 : ctx.type === "button" ? 3 : 2;
  if (type === 3 && !message) throw new Error(`Discord emulator: a button click needs a stored messageId`);
  let focused = 0;
  // Discord resolves user/channel/role option values into `data.resolved`; discord.js reads them from there.
  const resolved: Record<"users" | "members" | "channels" | "roles", Json> = {
    users: {},
    members: {},
    channels: {},
    roles: {},
  };
  walk(options, (o) => {
    if (o.focused) focused += 1;
    const id = String(o.value);
    if (o.type === 6 || o.type === 9) {
      const { user, ...member } = world.member(guild, id);
      resolved.users[id] = user;
      resolved.members[id] = { ...member, permissions: world.channelPermissions(channelId, id).toString() };
    } else if (o.type === 7) {
      const c = world.channels.get(id);
      const permissions = world.channelPermissions(id, userId).toString();
      if (c) resolved.channels[id] = { id, name: c.name, type: c.type, permissions };
    } else if (o.type === 8 && guild.roles.has(id)) {
      resolved.roles[id] = guild.roles.get(id);
    }
  });
  const nonEmpty = Object.fromEntries(Object.entries(resolved).filter(([, v]) => Object.keys(v).length > 0));
  if (type === 4 && focused !== 1)
    throw new Error("Discord emulator: an autocomplete interaction needs exactly one focused option");
  const id = state.newId();
  return interactionData({
    id,
    token: interactionToken(id),
    type,
    applicationId: state.applicationId,
    guildId: guild.id,
    channel,
    member: world.member(guild, userId),
    memberPermissions:
      ctx.memberPermissions === undefined
        ? world.channelPermissions(channelId, userId)
        : bits(ctx.memberPermissions),
    appPermissions: world.channelPermissions(channelId, state.bot.id),
    data:
      type === 3
        ? { custom_id: name, component_type: 2 }
        : {
            type: 1,
            ...commandId(state, name, guild.id),
            name,
            ...(options.length ? { options } : {}),
            ...(Object.keys(nonEmpty).length ? { resolved: nonEmpty } : {}),
          },
    ...(message ? { message } : {}),
  }) as unknown as Json;
}

/** Any INTERACTION_CREATE that goes out (built or raw) becomes answerable through the callback routes. */
export function registerInteraction(state: State, d: Json): InteractionState | undefined {
  if (typeof d.id !== "string" || typeof d.token !== "string") return undefined;
  const member = d.member as { user?: APIUser } | undefined;
  const interaction: InteractionState = {
    id: d.id,
    token: d.token,
    type: Number(d.type),
    channelId: String(d.channel_id ?? (d.channel as Json | undefined)?.id ?? ""),
    guildId: typeof d.guild_id === "string" ? d.guild_id : undefined,
    user: member?.user ?? (d.user as APIUser),
    createdAt: Date.now(),
    callbackType: undefined,
    originalId: undefined,
    messageId:
      typeof (d.message as Json | undefined)?.id === "string"
        ? ((d.message as Json).id as string)
        : undefined,
  };
  state.interactions.set(interaction.id, interaction);
  return interaction;
}

export function buildReaction(state: State, kind: "add" | "remove", input: ReactionInput): Json {
  const { world } = state;
  const guildId = input.guildId ?? world.guildOf(input.channelId)?.id;
  const guild = guildId === undefined ? undefined : world.guilds.get(guildId);
  const emoji = { name: input.emoji.name, id: input.emoji.id ?? null };
  const message = world.messages.get(input.messageId);
  if (message) countReaction(message, emoji, kind === "add" ? 1 : -1, input.userId === state.bot.id);
  const base = {
    user_id: input.userId,
    message_id: input.messageId,
    emoji,
    channel_id: input.channelId,
    burst: input.burst ?? false,
    ...(guildId ? { guild_id: guildId } : {}),
  };
  if (kind === "remove") return reactionRemoveData(base) as unknown as Json;
  return reactionAddData({
    ...base,
    ...(message ? { message_author_id: message.author.id } : {}),
    ...(guild ? { member: world.member(guild, input.userId) } : {}),
  }) as unknown as Json;
}

export function buildUserMessage(state: State, input: UserMessageInput): Json {
  const d = userMessageData(state.world, { id: input.id ?? state.newId(), ...input });
  // Stored so the bot can fetch it (partials) or start a thread from it.
  state.world.messages.set(d.id, d);
  const channel = state.world.channels.get(input.channelId);
  if (channel && "last_message_id" in channel) channel.last_message_id = d.id;
  return d as unknown as Json;
}
