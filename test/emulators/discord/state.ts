import type { APIApplicationCommand, APIMessage, APIUser } from "discord.js";
import { PermissionFlagsBits } from "discord.js";
import type { Feed } from "./feed.js";
import type { Gateway } from "./gateway.js";
import { fail, type Json } from "./http.js";
import type { World } from "./world.js";

export interface RecordedRequest {
  method: string;
  /** Path after /api/v10, e.g. "/channels/123/messages". */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON (or multipart payload_json); undefined without a body. */
  body: unknown;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The status the emulator answered with. */
  status: number;
  /** The route pattern that matched, e.g. "POST /channels/:channelId/messages". */
  route: string | undefined;
}

export interface InteractionCallbackRecord {
  interactionId: string;
  token: string;
  /** 4 message, 5 deferred message, 6 deferred update, 7 update, 8 autocomplete result, 9 modal. */
  type: number;
  data: Json | undefined;
  body: Json;
}

export interface CommandRegistration {
  scope: "global" | "guild";
  guildId: string | undefined;
  body: unknown;
  status: number;
  commands: APIApplicationCommand[];
}

export interface InteractionState {
  id: string;
  token: string;
  /** 2 command, 3 component, 4 autocomplete, 5 modal submit. */
  type: number;
  channelId: string;
  guildId: string | undefined;
  user: APIUser;
  createdAt: number;
  callbackType: number | undefined;
  originalId: string | undefined;
  /** For component interactions: the message the component is on (edited by callback type 7). */
  messageId: string | undefined;
}

export interface State {
  world: World;
  bot: APIUser;
  applicationId: string;
  applicationFlags: number;
  gateway: Gateway;
  wsOrigin: () => string;
  shardCount: number;
  maxConcurrency: number;
  interactionDeadlineMs: number;
  newId: () => string;
  interactions: Map<string, InteractionState>;
  interactionResponses: Feed<InteractionCallbackRecord>;
  commandRegistrations: Feed<CommandRegistration>;
  /** Registered commands per scope: "global" or a guild id. */
  commands: Map<string, APIApplicationCommand[]>;
  /** Ids of messages the bot created, in creation order. */
  created: string[];
}

export type StoredMessage = APIMessage & { guild_id?: string };

export function findMessage(state: State, channelId: string, messageId: string): StoredMessage {
  const message = state.world.messages.get(messageId);
  // Ephemeral messages exist only for the invoking user; the channel endpoints do not see them.
  if (!message || message.channel_id !== channelId || (Number(message.flags ?? 0) & 64) !== 0) {
    throw fail.unknown("Message", 10008);
  }
  return message;
}

export function requireChannel(state: State, channelId: string) {
  const channel = state.world.channels.get(channelId);
  if (!channel) throw fail.unknown("Channel", 10003);
  return channel;
}

/** The bot needs View Channel to see a channel at all (50001) and then the specific permission (50013). */
export function requireBotPermission(state: State, channelId: string, permission: bigint): void {
  const perms = state.world.channelPermissions(channelId, state.bot.id);
  if ((perms & PermissionFlagsBits.ViewChannel) === 0n) throw fail.missingAccess();
  if ((perms & permission) === 0n) throw fail.missingPermissions();
}

/** Gateway side effects of REST calls (MESSAGE_CREATE for the bot's own post...) need a live session. */
export function tryDispatch(state: State, t: string, d: Json, guildId: string | undefined): void {
  try {
    state.gateway.dispatch(t, d, guildId);
  } catch {
    // No session yet (e.g. commands registered before login): Discord would have nobody to tell either.
  }
}
