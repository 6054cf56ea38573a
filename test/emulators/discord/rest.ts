import type { APIGatewayBotInfo, APIThreadChannel } from "discord.js";
import { PermissionFlagsBits } from "discord.js";
import { ApiError, asObject, fail, type Json, type Route } from "./http.js";
import { discordTimestamp, NO_FLAGS } from "./ids.js";
import { countReaction, createMessage, editMessage } from "./messages.js";
import { fixtureText, reactionAddData, reactionRemoveData } from "./payloads.js";
import { findMessage, requireBotPermission, requireChannel, type State, tryDispatch } from "./state.js";
import { FormErrors } from "./validate.js";

/** How long Discord keeps an enforced nonce (its docs: "the past few minutes"). */
const NONCE_WINDOW_MS = 5 * 60_000;

const HAS_THREAD = 32;
const gatewayBotTemplate = JSON.parse(fixtureText("discord_gateway_bot.json")) as APIGatewayBotInfo;

/** "👍" or "name:id" as it appears (URL-encoded) in reaction routes. */
function parseEmoji(raw: string): { name: string; id: string | null } {
  const [name, id] = raw.split(":");
  return { name: name ?? raw, id: id ?? null };
}

function isThread(type: number): boolean {
  return type === 10 || type === 11 || type === 12;
}

function newThread(
  state: State,
  fields: { id: string; parentId: string; guildId: string; type: 10 | 11 | 12; body: Json },
): APIThreadChannel {
  const now = discordTimestamp();
  const name = fields.body.name;
  const errors = new FormErrors();
  errors.length(["name"], name, 1, 100);
  if (!errors.empty) throw fail.form(errors.tree);
  const thread: APIThreadChannel = {
    id: fields.id,
    guild_id: fields.guildId,
    parent_id: fields.parentId,
    owner_id: state.bot.id,
    type: fields.type,
    name: String(name),
    last_message_id: null,
    rate_limit_per_user: Number(fields.body.rate_limit_per_user ?? 0),
    flags: NO_FLAGS,
    thread_metadata: {
      archived: false,
      auto_archive_duration: Number(fields.body.auto_archive_duration ?? 4320) as 4320,
      archive_timestamp: now,
      locked: false,
      create_timestamp: now,
      ...(fields.type === 12 ? { invitable: fields.body.invitable !== false } : {}),
    },
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    member: { id: fields.id, user_id: state.bot.id, join_timestamp: now, flags: NO_FLAGS },
  };
  state.world.channels.set(thread.id, thread);
  state.world.guilds.get(fields.guildId)?.channelIds.push(thread.id);
  tryDispatch(state, "THREAD_CREATE", { ...thread, newly_created: true }, fields.guildId);
  return thread;
}

export function restRoutes(state: State): Route[] {
  const { world } = state;
  const botUser = { ...state.bot, verified: true, mfa_enabled: true, email: null, flags: 0 };
  return [
    {
      method: "GET",
      path: "/gateway/bot",
      auth: true,
      handle: () => ({
        body: {
          ...gatewayBotTemplate,
          url: state.wsOrigin(),
          shards: state.shardCount,
          session_start_limit: {
            ...gatewayBotTemplate.session_start_limit,
            max_concurrency: state.maxConcurrency,
          },
        },
      }),
    },
    { method: "GET", path: "/gateway", auth: false, handle: () => ({ body: { url: state.wsOrigin() } }) },
    { method: "GET", path: "/users/@me", auth: true, handle: () => ({ body: botUser }) },
    {
      method: "GET",
      path: "/applications/@me",
      auth: true,
      // Field set of the docs' "Example Application Object", valued for this bot.
      handle: () => ({
        body: {
          bot_public: true,
          bot_require_code_grant: false,
          description: "",
          icon: null,
          id: state.applicationId,
          name: state.bot.username,
          owner: {
            id: "172150183260323840",
            username: "i own a bot",
            avatar: null,
            discriminator: "1738",
            flags: 1024,
          },
          summary: "",
          team: null,
          verify_key: "1e0a356058d627ca38a5c8c9648818061d49e49bd9da9e3ab17d98ad4d6bg2u8",
          flags: state.applicationFlags,
          bot: state.bot,
          integration_types_config: {
            "0": { oauth2_install_params: { scopes: ["applications.commands", "bot"], permissions: "2048" } },
          },
        },
      }),
    },
    {
      method: "GET",
      path: "/channels/:channelId",
      auth: true,
      handle: ({ params }) => ({ body: requireChannel(state, params.channelId as string) }),
    },
    {
      method: "POST",
      path: "/channels/:channelId/messages",
      auth: true,
      handle: ({ params, body, files }) => {
        const channelId = params.channelId as string;
        const channel = requireChannel(state, channelId);
        const send = isThread(channel.type)
          ? PermissionFlagsBits.SendMessagesInThreads
          : PermissionFlagsBits.SendMessages;
        requireBotPermission(state, channelId, send);
        const message = asObject(body);
        // enforce_nonce: the same author's message with this nonce in the last few minutes is the answer
        // (Discord's docs say "by the same author", in any channel).
        if (message.enforce_nonce === true && message.nonce !== undefined) {
          const since = Date.now() - NONCE_WINDOW_MS;
          const earlier = [...state.world.messages.values()].find(
            (m) =>
              m.author.id === state.bot.id && m.nonce === message.nonce && Date.parse(m.timestamp) >= since,
          );
          if (earlier) return { body: earlier };
        }
        return { body: createMessage(state, channelId, message, files) };
      },
    },
    {
      method: "GET",
      path: "/channels/:channelId/messages/:messageId",
      auth: true,
      handle: ({ params }) => {
        requireBotPermission(
          state,
          requireChannel(state, params.channelId as string).id,
          PermissionFlagsBits.ReadMessageHistory,
        );
        return { body: findMessage(state, params.channelId as string, params.messageId as string) };
      },
    },
    {
      method: "PATCH",
      path: "/channels/:channelId/messages/:messageId",
      auth: true,
      handle: ({ params, body }) => {
        const message = findMessage(state, params.channelId as string, params.messageId as string);
        if (message.author.id !== state.bot.id && asObject(body).content !== undefined)
          throw fail.notAuthor();
        return { body: editMessage(state, message, asObject(body)) };
      },
    },
    {
      method: "DELETE",
      path: "/channels/:channelId/messages/:messageId",
      auth: true,
      handle: ({ params }) => {
        const message = findMessage(state, params.channelId as string, params.messageId as string);
        world.messages.delete(message.id);
        tryDispatch(
          state,
          "MESSAGE_DELETE",
          { id: message.id, channel_id: message.channel_id, guild_id: message.guild_id },
          message.guild_id,
        );
        return { status: 204 };
      },
    },
    {
      method: "PUT",
      path: "/channels/:channelId/messages/:messageId/reactions/:emoji/@me",
      auth: true,
      handle: ({ params }) => {
        requireBotPermission(
          state,
          requireChannel(state, params.channelId as string).id,
          PermissionFlagsBits.AddReactions,
        );
        const message = findMessage(state, params.channelId as string, params.messageId as string);
        const emoji = parseEmoji(params.emoji as string);
        if (message.reactions?.some((r) => r.me && r.emoji.name === emoji.name && r.emoji.id === emoji.id)) {
          return { status: 204 };
        }
        countReaction(message, emoji, 1, true);
        const guild = message.guild_id ? world.guilds.get(message.guild_id) : undefined;
        const member = guild?.members.get(state.bot.id);
        tryDispatch(
          state,
          "MESSAGE_REACTION_ADD",
          reactionAddData({
            user_id: state.bot.id,
            message_id: message.id,
            message_author_id: message.author.id,
            ...(member ? { member } : {}),
            emoji,
            channel_id: message.channel_id,
            ...(guild ? { guild_id: guild.id } : {}),
          }) as unknown as Json,
          guild?.id,
        );
        return { status: 204 };
      },
    },
    {
      method: "DELETE",
      path: "/channels/:channelId/messages/:messageId/reactions/:emoji/@me",
      auth: true,
      handle: ({ params }) => {
        const message = findMessage(state, params.channelId as string, params.messageId as string);
        const emoji = parseEmoji(params.emoji as string);
        const reaction = message.reactions?.find(
          (r) => r.emoji.name === emoji.name && r.emoji.id === emoji.id,
        );
        if (reaction?.me) {
          countReaction(message, emoji, -1, true);
          tryDispatch(
            state,
            "MESSAGE_REACTION_REMOVE",
            reactionRemoveData({
              user_id: state.bot.id,
              message_id: message.id,
              emoji,
              channel_id: message.channel_id,
              ...(message.guild_id ? { guild_id: message.guild_id } : {}),
            }) as unknown as Json,
            message.guild_id,
          );
        }
        return { status: 204 };
      },
    },
    {
      method: "POST",
      path: "/channels/:channelId/messages/:messageId/threads",
      auth: true,
      handle: ({ params, body }) => {
        const channelId = params.channelId as string;
        const channel = requireChannel(state, channelId);
        requireBotPermission(state, channelId, PermissionFlagsBits.CreatePublicThreads);
        const message = findMessage(state, channelId, params.messageId as string);
        if (message.thread) {
          throw new ApiError(400, {
            message: "A thread has already been created for this message",
            code: 160004,
          });
        }
        // A thread started from a message takes the message's id.
        const thread = newThread(state, {
          id: message.id,
          parentId: channelId,
          guildId: channel.guild_id as string,
          type: channel.type === 5 ? 10 : 11,
          body: asObject(body),
        });
        message.thread = thread;
        message.flags = (Number(message.flags ?? 0) | HAS_THREAD) as never;
        return { status: 201, body: thread };
      },
    },
    {
      method: "POST",
      path: "/channels/:channelId/threads",
      auth: true,
      handle: ({ params, body }) => {
        const channelId = params.channelId as string;
        const channel = requireChannel(state, channelId);
        const fields = asObject(body);
        // Without a starting message, API v9+ defaults to a private thread.
        const type = fields.type === 11 || fields.type === 10 ? fields.type : 12;
        requireBotPermission(
          state,
          channelId,
          type === 12 ? PermissionFlagsBits.CreatePrivateThreads : PermissionFlagsBits.CreatePublicThreads,
        );
        const thread = newThread(state, {
          id: state.newId(),
          parentId: channelId,
          guildId: channel.guild_id as string,
          type,
          body: fields,
        });
        return { status: 201, body: thread };
      },
    },
    {
      method: "GET",
      path: "/guilds/:guildId/members/:userId",
      auth: true,
      handle: ({ params }) => {
        const guild = world.guilds.get(params.guildId as string);
        if (!guild) throw fail.unknown("Guild", 10004);
        const member = guild.members.get(params.userId as string);
        if (!member) throw fail.unknown("Member", 10007);
        return { body: member };
      },
    },
  ];
}
