/**
 * Wire shapes, built from the recorded payloads in test/fixtures (see SOURCES.md).
 * Each builder starts from the recording, so fields we do not model (`_trace`, `entitlement_sku_ids`,
 * `user_settings`...) still reach the client, and overrides only the values that vary.
 * The discord-api-types annotations make tsc check that the fields we set are the documented ones.
 */
import { readFileSync } from "node:fs";
import type {
  APIApplicationCommandAutocompleteGuildInteraction,
  APIChannel,
  APIChatInputApplicationCommandGuildInteraction,
  APIGuildMember,
  APIMessage,
  APIUser,
  GatewayGuildCreateDispatchData,
  GatewayMessageCreateDispatchData,
  GatewayMessageReactionAddDispatchData,
  GatewayMessageReactionRemoveDispatchData,
  GatewayReadyDispatchData,
} from "discord.js";
import { discordTimestamp, NO_FLAGS } from "./ids.js";
import type { GuildChannel, GuildState, World } from "./world.js";

type Json = Record<string, unknown>;

export function fixtureText(name: string): string {
  return readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), "utf8");
}

function fixtureJson(name: string): Json {
  return JSON.parse(fixtureText(name)) as Json;
}

/** The `d` of a recorded `{t,s,op,d}` frame. */
function frameData(name: string): Json {
  return fixtureJson(name).d as Json;
}

function omit(object: Json, ...keys: string[]): Json {
  const copy = { ...object };
  for (const key of keys) delete copy[key];
  return copy;
}

/** Recorded extras first (keeping their key order), then our typed fields win. */
function overlay<T>(template: Json, fields: T): T {
  return { ...template, ...fields };
}

const templates = {
  hello: frameData("discord_gateway_hello.json"),
  ready: frameData("discord_gateway_ready.json"),
  // Optional keys that depend on the case (guild vs DM, known author...) are dropped and set per event.
  interaction: omit(
    frameData("discord_gateway_interaction_create_command.json"),
    "guild",
    "guild_id",
    "member",
  ),
  messageCreate: omit(frameData("discord_gateway_message_create.json"), "nonce", "member", "guild_id"),
  reactionAdd: omit(
    frameData("discord_gateway_message_reaction_add_frame.json"),
    "member",
    "message_author_id",
    "guild_id",
  ),
  reactionRemove: omit(frameData("discord_gateway_message_reaction_remove_frame.json"), "guild_id"),
  // The docs' example carries a 🔥 reaction; a message that was just created has none.
  restMessage: omit(fixtureJson("discord_rest_create_message_response.json"), "reactions"),
};

/** The recording's interval (41250 ms) unless a test wants faster heartbeats. */
export const RECORDED_HEARTBEAT_INTERVAL = (templates.hello as { heartbeat_interval: number })
  .heartbeat_interval;

export function helloData(heartbeatInterval: number): Json {
  return { ...templates.hello, heartbeat_interval: heartbeatInterval };
}

export function readyData(fields: Omit<GatewayReadyDispatchData, "v">): GatewayReadyDispatchData {
  return overlay(templates.ready, { v: 10, ...fields });
}

export function guildCreateData(world: World, guild: GuildState): GatewayGuildCreateDispatchData {
  const all = guild.channelIds.map((id) => world.channels.get(id)).filter((c) => c !== undefined);
  const isThread = (c: GuildChannel): c is Extract<GuildChannel, { type: 11 | 12 }> =>
    c.type === 11 || c.type === 12;
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [...guild.roles.values()],
    emojis: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: NO_FLAGS,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: "en-US" as GatewayGuildCreateDispatchData["preferred_locale"],
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
    stickers: [],
    max_members: 500000,
    // GUILD_CREATE-only fields.
    joined_at: guild.joinedAt,
    large: false,
    unavailable: false,
    member_count: guild.members.size,
    voice_states: [],
    members: [...guild.members.values()],
    channels: all.filter((c) => !isThread(c)) as GatewayGuildCreateDispatchData["channels"],
    threads: all.filter(isThread),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** `<@id>` and `<@!id>` in content, in order, without repeats. */
export function mentionedUserIds(content: string): string[] {
  return [...new Set([...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1] as string))];
}

function memberNoUser(member: APIGuildMember): Omit<APIGuildMember, "user"> {
  const { user: _user, ...rest } = member;
  return rest;
}

/** A MESSAGE_CREATE from a (human) user, shaped like the recorded one. */
export function userMessageData(
  world: World,
  fields: { id: string; channelId: string; userId: string; content: string },
): GatewayMessageCreateDispatchData {
  const guild = world.guildOf(fields.channelId);
  const author = guild ? world.member(guild, fields.userId) : undefined;
  const user: APIUser = author?.user ?? {
    id: fields.userId,
    username: "user",
    discriminator: "0",
    global_name: null,
    avatar: null,
  };
  const mentions = mentionedUserIds(fields.content).map((id) => {
    const m = guild ? world.member(guild, id) : undefined;
    return m ? { ...m.user, member: memberNoUser(m) as never } : { ...user, id };
  });
  return overlay(omit(templates.messageCreate, "nonce"), {
    type: 0,
    tts: false,
    timestamp: discordTimestamp(),
    referenced_message: null,
    pinned: false,
    mentions,
    mention_roles: [],
    mention_everyone: false,
    ...(author ? { member: memberNoUser(author) as GatewayMessageCreateDispatchData["member"] } : {}),
    id: fields.id,
    flags: NO_FLAGS,
    embeds: [],
    edited_timestamp: null,
    content: fields.content,
    components: [],
    channel_id: fields.channelId,
    author: user,
    attachments: [],
    ...(guild ? { guild_id: guild.id } : {}),
  });
}

/** What Create Message returns: the docs' example message, re-valued for this bot and channel. */
export function botMessage(
  fields: Partial<APIMessage> & Pick<APIMessage, "id" | "channel_id" | "author">,
): APIMessage {
  return overlay(templates.restMessage, {
    attachments: [],
    tts: false,
    embeds: [],
    timestamp: discordTimestamp(),
    mention_everyone: false,
    pinned: false,
    edited_timestamp: null,
    mention_roles: [],
    content: "",
    mentions: [],
    type: 0,
    flags: NO_FLAGS,
    components: [],
    ...fields,
  });
}

export type CommandInteraction =
  | APIChatInputApplicationCommandGuildInteraction
  | APIApplicationCommandAutocompleteGuildInteraction;

/** INTERACTION_CREATE `d`, shaped like the recorded `hello` command frame plus today's required fields. */
export function interactionData(fields: {
  id: string;
  token: string;
  /** 2 application command, 3 message component, 4 autocomplete. */
  type: 2 | 3 | 4;
  applicationId: string;
  guildId: string;
  channel: APIChannel;
  member: APIGuildMember & { user: APIUser };
  memberPermissions: bigint;
  appPermissions: bigint;
  data: Json;
  /** Component interactions carry the message the component is on. */
  message?: APIMessage;
}): CommandInteraction {
  const interaction = {
    version: 1 as const,
    type: fields.type,
    token: fields.token,
    member: { ...fields.member, permissions: fields.memberPermissions.toString() },
    locale: "en-US",
    id: fields.id,
    guild_locale: "en-US",
    guild_id: fields.guildId,
    guild: { locale: "en-US", id: fields.guildId, features: [] },
    entitlements: [],
    data: fields.data,
    ...(fields.message ? { message: fields.message } : {}),
    channel_id: fields.channel.id,
    channel: { ...fields.channel, permissions: fields.memberPermissions.toString() },
    application_id: fields.applicationId,
    app_permissions: fields.appPermissions.toString(),
    // Newer than the recording; discord-api-types lists them as always present.
    authorizing_integration_owners: { "0": fields.guildId },
    context: 0,
    attachment_size_limit: 10_485_760,
  };
  return overlay(templates.interaction, interaction as unknown as CommandInteraction);
}

export function reactionAddData(
  fields: Omit<GatewayMessageReactionAddDispatchData, "type" | "burst"> & { type?: 0 | 1; burst?: boolean },
): GatewayMessageReactionAddDispatchData {
  return overlay(templates.reactionAdd, { type: 0, burst: false, ...fields });
}

export function reactionRemoveData(
  fields: Omit<GatewayMessageReactionRemoveDispatchData, "type" | "burst"> & {
    type?: 0 | 1;
    burst?: boolean;
  },
): GatewayMessageReactionRemoveDispatchData {
  return overlay(templates.reactionRemove, { type: 0, burst: false, ...fields });
}
