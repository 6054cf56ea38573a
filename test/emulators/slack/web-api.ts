import type { Body } from "./http-body.js";
import {
  randomChars,
  type SlackChannelSeed,
  type SlackUserSeed,
  type SlackWorkspace,
  slackId,
  type TsClock,
} from "./workspace.js";

/** A Web API error: Slack answers HTTP 200 with `{ok:false,error}` (see slack_error_not_in_channel.json). */
export class SlackApiError extends Error {
  constructor(readonly error: string) {
    super(error);
  }
}

export interface StoredMessage extends Record<string, unknown> {
  channel: string;
  ts: string;
  text: string;
}

export interface EmulatedUpload {
  fileId: string;
  filename: string;
  length: number | undefined;
  /** The bytes POSTed to the upload_url; undefined until the upload happened. */
  bytes: Buffer | undefined;
  /** The files.completeUploadExternal arguments that shared it, once completed. */
  completed: Body | undefined;
}

type Handler = (args: Body) => Body;

/**
 * The Web API methods the bot uses, with enough state to answer consistently. Response shapes follow
 * Slack's schema samples (slackapi/java-slack-sdk json-logs/samples/api/<method>.json) and, for
 * messages, the recorded bot message inside slack_block_actions.json.
 */
export class WebApiState {
  readonly messages = new Map<string, StoredMessage>();
  readonly reactions: { channel: string; timestamp: string; name: string }[] = [];
  readonly uploads = new Map<string, EmulatedUpload>();
  readonly users = new Map<string, SlackUserSeed>();
  readonly channels = new Map<string, SlackChannelSeed>();
  constructor(
    private readonly workspace: SlackWorkspace,
    private readonly clock: TsClock,
    private readonly links: { uploadUrl(fileId: string): string; socketUrl(): string },
  ) {}

  readonly handlers: Record<string, Handler> = {
    "api.test": (args) => ({ ok: true, args }),
    "auth.test": () => ({
      ok: true,
      url: `https://${this.workspace.teamDomain}.slack.com/`,
      team: this.workspace.teamName,
      user: this.workspace.botName,
      team_id: this.workspace.teamId,
      user_id: this.workspace.botUserId,
      bot_id: this.workspace.botId,
      is_enterprise_install: false,
    }),
    "apps.connections.open": () => ({ ok: true, url: this.links.socketUrl() }),
    "chat.postMessage": (args) => {
      const channel = need(args, "channel", "channel_not_found");
      if (args.text === undefined && args.blocks === undefined && args.attachments === undefined) {
        throw new SlackApiError("no_text");
      }
      const ts = this.clock.next();
      const threadTs = str(args.thread_ts);
      const parent = threadTs === undefined ? undefined : this.messages.get(key(channel, threadTs));
      const message: StoredMessage = {
        channel,
        ts,
        text: str(args.text) ?? "",
        ...this.botMessage(args),
        ...(threadTs === undefined ? {} : { thread_ts: threadTs, parent_user_id: parent?.user }),
      };
      this.messages.set(key(channel, ts), message);
      return { ok: true, channel, ts, message: withoutChannel(message) };
    },
    "chat.update": (args) => {
      const channel = need(args, "channel", "channel_not_found");
      const ts = need(args, "ts", "message_not_found");
      const stored = this.messages.get(key(channel, ts));
      if (stored === undefined) throw new SlackApiError("message_not_found");
      if (args.text !== undefined) stored.text = String(args.text);
      if (args.blocks !== undefined) stored.blocks = withBlockIds(args.blocks);
      if (args.attachments !== undefined) stored.attachments = args.attachments;
      return { ok: true, channel, ts, text: stored.text, message: withoutChannel(stored) };
    },
    "chat.postEphemeral": (args) => {
      need(args, "channel", "channel_not_found");
      need(args, "user", "user_not_found");
      return { ok: true, message_ts: this.clock.next() };
    },
    "chat.getPermalink": (args) => {
      const channel = need(args, "channel", "channel_not_found");
      const ts = need(args, "message_ts", "message_not_found");
      const permalink = `https://${this.workspace.teamDomain}.slack.com/archives/${channel}/p${ts.replace(".", "")}`;
      return { ok: true, permalink, channel };
    },
    "reactions.add": (args) => {
      const name = need(args, "name", "invalid_name");
      const channel = need(args, "channel", "no_item_specified");
      const timestamp = need(args, "timestamp", "no_item_specified");
      const same = (r: { channel: string; timestamp: string; name: string }) =>
        r.channel === channel && r.timestamp === timestamp && r.name === name;
      if (this.reactions.some(same)) throw new SlackApiError("already_reacted");
      this.reactions.push({ channel, timestamp, name });
      return { ok: true };
    },
    "users.info": (args) => {
      const user = this.users.get(need(args, "user", "user_not_found"));
      if (user === undefined) throw new SlackApiError("user_not_found");
      return { ok: true, user: this.userObject(user) };
    },
    "conversations.info": (args) => {
      const channel = this.channels.get(need(args, "channel", "channel_not_found"));
      if (channel === undefined) throw new SlackApiError("channel_not_found");
      return { ok: true, channel: this.channelObject(channel) };
    },
    "team.info": () => ({ ok: true, team: this.teamObject() }),
    "files.getUploadURLExternal": (args) => {
      const fileId = slackId("F");
      const filename = str(args.filename) ?? "Untitled";
      const length = args.length === undefined ? undefined : Number(args.length);
      this.uploads.set(fileId, { fileId, filename, length, bytes: undefined, completed: undefined });
      return { ok: true, upload_url: this.links.uploadUrl(fileId), file_id: fileId };
    },
    "files.completeUploadExternal": (args) => {
      // invalid_arguments is Slack's generic error; file_not_found (completing an id that was never
      // uploaded) is our choice, not a captured response. It catches a skipped upload step.
      const files = Array.isArray(args.files) ? (args.files as { id: string; title?: string }[]) : [];
      if (files.length === 0) throw new SlackApiError("invalid_arguments");
      const { files: _files, token: _token, ...share } = args;
      return {
        ok: true,
        files: files.map(({ id, title }) => {
          const upload = this.uploads.get(id);
          if (upload === undefined || upload.bytes === undefined) throw new SlackApiError("file_not_found");
          upload.completed = share;
          return { id, title: title ?? upload.filename };
        }),
      };
    },
  };

  /** The fields Slack adds to a message the bot posted (cf. `message` in slack_block_actions.json). */
  private botMessage(args: Body): Record<string, unknown> {
    return {
      user: this.workspace.botUserId,
      type: "message",
      bot_id: this.workspace.botId,
      app_id: this.workspace.appId,
      team: this.workspace.teamId,
      ...(args.blocks === undefined ? {} : { blocks: withBlockIds(args.blocks) }),
      ...(args.attachments === undefined ? {} : { attachments: args.attachments }),
    };
  }

  private userObject(seed: SlackUserSeed): Record<string, unknown> {
    const tz = seed.tz ?? "America/Los_Angeles";
    const name = seed.name ?? seed.id.toLowerCase();
    const realName = seed.real_name ?? name;
    return {
      id: seed.id,
      team_id: this.workspace.teamId,
      name,
      deleted: seed.deleted ?? false,
      real_name: realName,
      ...timeZoneFields(tz),
      profile: { real_name: realName, display_name: name, team: this.workspace.teamId },
      is_admin: seed.is_admin ?? false,
      is_owner: seed.is_owner ?? false,
      is_primary_owner: seed.is_primary_owner ?? false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: seed.is_bot ?? false,
      is_app_user: false,
      updated: 1_700_000_000,
    };
  }

  private channelObject(seed: SlackChannelSeed): Record<string, unknown> {
    const isPrivate = seed.is_private ?? false;
    return {
      id: seed.id,
      name: seed.name,
      is_channel: !isPrivate,
      is_group: isPrivate,
      is_im: false,
      is_mpim: false,
      is_private: isPrivate,
      created: 1_700_000_000,
      is_archived: false,
      is_general: seed.name === "general",
      name_normalized: seed.name,
      is_shared: false,
      is_org_shared: false,
      is_member: true,
      context_team_id: this.workspace.teamId,
    };
  }

  /** team.info carries no time zone at all, so the bot can't learn a workspace zone from it. */
  private teamObject(): Record<string, unknown> {
    const icon = "https://a.slack-edge.com/80588/img/avatars-teams/ava_0001-88.png";
    return {
      id: this.workspace.teamId,
      name: this.workspace.teamName,
      domain: this.workspace.teamDomain,
      email_domain: "",
      icon: { image_34: icon, image_44: icon, image_68: icon, image_88: icon, image_default: true },
      is_verified: false,
      url: `https://${this.workspace.teamDomain}.slack.com/`,
    };
  }
}

export function key(channel: string, ts: string): string {
  return `${channel}/${ts}`;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function need(args: Body, field: string, error: string): string {
  const value = str(args[field]);
  if (value === undefined) throw new SlackApiError(error);
  return value;
}

function withoutChannel({ channel: _channel, ...message }: StoredMessage): Record<string, unknown> {
  return message;
}

/** Slack fills in a random five-character block_id (like "kXGLy") on blocks that have none. */
function withBlockIds(blocks: unknown): unknown {
  if (!Array.isArray(blocks)) return blocks;
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return blocks.map((block: unknown) =>
    typeof block === "object" && block !== null && !("block_id" in block)
      ? { ...block, block_id: randomChars(5, alphabet) }
      : block,
  );
}

/** tz, tz_label and tz_offset (seconds east of UTC) as users.info shows them right now. */
function timeZoneFields(tz: string): { tz: string; tz_label: string; tz_offset: number } {
  const part = (style: "long" | "longOffset") =>
    new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: style })
      .formatToParts(new Date())
      .find((p) => p.type === "timeZoneName")?.value ?? "";
  const offset = /GMT([+-])(\d{2}):(\d{2})/.exec(part("longOffset"));
  const seconds = offset ? Number(offset[2]) * 3600 + Number(offset[3]) * 60 : 0;
  return { tz, tz_label: part("long"), tz_offset: offset?.[1] === "-" ? -seconds : seconds };
}
