import { randomUUID } from "node:crypto";
import { fixtureJson } from "./fixtures.js";
import type { StoredMessage } from "./web-api.js";
import { randomChars, type SlackWorkspace, type TsClock } from "./workspace.js";

type Json = Record<string, unknown>;

/** Key order of a full Events API envelope, taken from the java-slack-sdk schema sample. */
const ENVELOPE_KEYS = Object.keys(fixtureJson("slack_reaction_added_fullshape.json"));
/** Key order of a recorded production slash command (form fields, already parsed). */
const COMMAND_KEYS = Object.keys(fixtureJson("slack_slash_command_recorded.json"));

export interface Defaults {
  workspace: SlackWorkspace;
  clock: TsClock;
  userId: string;
  userName: string;
  channelId: string;
  channelName: string;
}

/**
 * Wraps an inner event the way Slack's Events API does (slack_reaction_added_fullshape.json,
 * slack_app_mention.json). A body that already is an `event_callback` envelope passes through.
 */
export function eventEnvelope(d: Defaults, event: Json, eventId = `Ev${randomChars(10)}`): Json {
  if (event.type === "event_callback") return event;
  const { workspace: ws } = d;
  const inner: Json = { ...event, event_ts: event.event_ts ?? d.clock.next() };
  const channel = channelOf(inner) ?? d.channelId;
  const values: Json = {
    token: ws.verificationToken,
    team_id: ws.teamId,
    // Non-enterprise payloads (slack_app_mention.json, slack_message_thread_reply.json) omit it.
    enterprise_id: undefined,
    api_app_id: ws.appId,
    event: inner,
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: ws.teamId,
        user_id: ws.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    // Same form as in slack_socket_mode_events_api.json: "1-message-T111-C111".
    event_context: `1-${String(inner.type)}-${ws.teamId}-${channel}`,
    context_team_id: ws.teamId,
    context_enterprise_id: null,
  };
  return inOrder(ENVELOPE_KEYS, values);
}

export interface SlashCommandInput {
  command?: string;
  text?: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  channel_name?: string;
  team_id?: string;
  team_domain?: string;
  enterprise_id?: string;
  enterprise_name?: string;
  api_app_id?: string;
  response_url?: string;
  trigger_id?: string;
  [field: string]: string | undefined;
}

/**
 * The fields of a slash command, in the order of slack_slash_command_recorded.json; enterprise fields
 * go after api_app_id as in slack_slash_command_enterprise.txt. Every value is a string, as on the wire.
 */
export function commandFields(
  d: Defaults,
  input: SlashCommandInput,
  responseUrl: string,
): Record<string, string> {
  const { workspace: ws } = d;
  const values: Record<string, string | undefined> = {
    token: ws.verificationToken,
    team_id: ws.teamId,
    team_domain: ws.teamDomain,
    channel_id: d.channelId,
    channel_name: d.channelName,
    user_id: d.userId,
    user_name: d.userName,
    command: "/papers",
    text: "",
    api_app_id: ws.appId,
    is_enterprise_install: "false",
    response_url: responseUrl,
    trigger_id: triggerId(),
    ...input,
  };
  const order = [...COMMAND_KEYS];
  order.splice(order.indexOf("api_app_id") + 1, 0, "enterprise_id", "enterprise_name");
  return inOrder(order, values) as Record<string, string>;
}

export interface BlockActionInput {
  actionId: string;
  value?: string;
  blockId?: string;
  /** The button's label. */
  text?: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  /** The message the button is on; when the emulator posted it, its stored copy is sent along. */
  messageTs?: string;
  threadTs?: string;
}

/** A button click, shaped like the recorded slack_block_actions.json. */
export function blockActions(
  d: Defaults,
  input: BlockActionInput,
  responseUrl: string,
  posted?: StoredMessage,
) {
  const { workspace: ws } = d;
  const payload = fixtureJson<Json>("slack_block_actions.json");
  const userId = input.userId ?? d.userId;
  const userName = input.userName ?? d.userName;
  const channelId = input.channelId ?? d.channelId;
  const messageTs = input.messageTs ?? posted?.ts ?? d.clock.next();
  const threadTs = input.threadTs ?? (posted?.thread_ts as string | undefined);
  const thread = threadTs === undefined ? {} : { thread_ts: threadTs };
  const { channel: _channel, ...postedMessage } = posted ?? {};
  Object.assign(payload, {
    user: { id: userId, username: userName, name: userName, team_id: ws.teamId },
    api_app_id: ws.appId,
    token: ws.verificationToken,
    container: {
      type: "message",
      message_ts: messageTs,
      channel_id: channelId,
      is_ephemeral: false,
      ...thread,
    },
    trigger_id: triggerId(),
    team: { id: ws.teamId, domain: ws.teamDomain },
    channel: { id: channelId, name: input.channelName ?? d.channelName },
    message: posted
      ? postedMessage
      : { user: ws.botUserId, type: "message", ts: messageTs, bot_id: ws.botId, app_id: ws.appId, ...thread },
    response_url: responseUrl,
    actions: [
      {
        action_id: input.actionId,
        block_id: input.blockId ?? randomChars(5),
        text: { type: "plain_text", text: input.text ?? input.actionId, emoji: true },
        ...(input.value === undefined ? {} : { value: input.value }),
        type: "button",
        action_ts: d.clock.next(),
      },
    ],
  });
  return payload;
}

export type SocketEnvelopeType = "events_api" | "slash_commands" | "interactive";

export interface SocketEnvelopeOptions {
  /** Defaults: true for slash_commands (as in slack_socket_mode_slash_commands.json), else false. */
  acceptsResponsePayload?: boolean;
  /**
   * events_api only. The fixture shows a retry (1, "timeout"); a first delivery carries 0 and "", as in
   * the other envelopes of python-slack-sdk's tests/slack_sdk/socket_mode/mock_socket_mode_server.py.
   */
  retryAttempt?: number;
  retryReason?: string;
}

/** A Socket Mode envelope with the key order of slack_socket_mode_*.json. */
export function socketEnvelope(type: SocketEnvelopeType, payload: Json, options: SocketEnvelopeOptions = {}) {
  const envelope: Json = {
    envelope_id: randomUUID(),
    payload,
    type,
    accepts_response_payload: options.acceptsResponsePayload ?? type === "slash_commands",
  };
  if (type === "events_api") {
    envelope.retry_attempt = options.retryAttempt ?? 0;
    envelope.retry_reason = options.retryReason ?? "";
  }
  return envelope as Json & { envelope_id: string };
}

/** Like "10520020890661.10229338706656.2e2188a074adf3bf9f8456b30180f405" in the recorded command. */
function triggerId(): string {
  const digits = () => randomChars(14, "0123456789");
  return `${digits()}.${digits()}.${randomChars(32, "0123456789abcdef")}`;
}

function channelOf(event: Json): string | undefined {
  if (typeof event.channel === "string") return event.channel;
  const item = event.item as Json | undefined;
  return typeof item?.channel === "string" ? item.channel : undefined;
}

/** Copies `values` in the given key order, then any extra keys; undefined values are left out. */
function inOrder(order: string[], values: Record<string, unknown>): Json {
  const out: Json = {};
  for (const key of [...order, ...Object.keys(values)]) {
    if (values[key] !== undefined && !(key in out)) out[key] = values[key];
  }
  return out;
}
