import type {
  APIChannel,
  APIGuildCategoryChannel,
  APIGuildMember,
  APIMessage,
  APINewsChannel,
  APIOverwrite,
  APIRole,
  APITextChannel,
  APIThreadChannel,
  APIUser,
} from "discord.js";
import { PermissionFlagsBits } from "discord.js";
import { discordTimestamp, NO_FLAGS } from "./ids.js";

export interface UserSpec {
  id: string;
  username: string;
  globalName?: string | null;
  bot?: boolean;
}

export interface RoleSpec {
  id: string;
  name: string;
  /** Permission bitfield, e.g. `PermissionFlagsBits.ManageChannels`. */
  permissions: bigint | string;
  position?: number;
}

export interface OverwriteSpec {
  /** Role id (the guild id means @everyone) or user id. */
  id: string;
  type: "role" | "member";
  allow?: bigint | string;
  deny?: bigint | string;
}

export interface ChannelSpec {
  id: string;
  name: string;
  /** 0 text (default), 4 category, 5 announcement. */
  type?: 0 | 4 | 5;
  parentId?: string | null;
  topic?: string | null;
  permissionOverwrites?: OverwriteSpec[];
}

export interface MemberSpec {
  user: UserSpec;
  /** Role ids besides @everyone. */
  roles?: string[];
  nick?: string | null;
}

export interface GuildSpec {
  id: string;
  name?: string;
  ownerId: string;
  /** Permissions of @everyone (role id = guild id). Defaults to DEFAULT_EVERYONE_PERMISSIONS. */
  everyonePermissions?: bigint | string;
  roles?: RoleSpec[];
  channels?: ChannelSpec[];
  /** The bot is added automatically; the owner must be listed here if events come from them. */
  members?: MemberSpec[];
  /** Permissions of the managed role Discord creates for the bot when it joins. Default none. */
  botPermissions?: bigint | string;
}

type P = keyof typeof PermissionFlagsBits;
const flags = (...names: P[]): bigint => names.reduce((acc, name) => acc | PermissionFlagsBits[name], 0n);

/** Every permission bit that exists; owners and administrators get this. */
export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((acc, bit) => acc | bit, 0n);

/** A plain member's permissions in a fresh server; notably without Manage Channels / Manage Guild. */
export const DEFAULT_EVERYONE_PERMISSIONS = flags(
  "ViewChannel",
  "SendMessages",
  "SendMessagesInThreads",
  "CreatePublicThreads",
  "CreatePrivateThreads",
  "EmbedLinks",
  "AttachFiles",
  "AddReactions",
  "UseExternalEmojis",
  "ReadMessageHistory",
  "UseApplicationCommands",
  "CreateInstantInvite",
  "ChangeNickname",
  "Connect",
  "Speak",
);

export type GuildChannel = APITextChannel | APINewsChannel | APIGuildCategoryChannel | APIThreadChannel;

export interface GuildState {
  id: string;
  name: string;
  ownerId: string;
  joinedAt: string;
  roles: Map<string, APIRole>;
  members: Map<string, APIGuildMember & { user: APIUser }>;
  channelIds: string[];
}

export const bits = (value: bigint | string | undefined): bigint => BigInt(value ?? 0);

export function apiUser(spec: UserSpec): APIUser {
  return {
    id: spec.id,
    username: spec.username,
    discriminator: "0",
    global_name: spec.globalName ?? null,
    avatar: null,
    ...(spec.bot ? { bot: true } : {}),
    public_flags: NO_FLAGS,
  };
}

function role(id: string, name: string, permissions: bigint, position: number, botId?: string): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    position,
    permissions: permissions.toString(),
    managed: botId !== undefined,
    mentionable: false,
    flags: NO_FLAGS,
    ...(botId !== undefined ? { tags: { bot_id: botId } } : {}),
  };
}

/** Field set as in the recorded gateway frames' `member` objects. */
export function guildMember(
  user: APIUser,
  roles: string[],
  nick: string | null,
  joinedAt: string,
): APIGuildMember & { user: APIUser } {
  return {
    user,
    roles,
    nick,
    avatar: null,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: NO_FLAGS,
    pending: false,
    communication_disabled_until: null,
  };
}

function overwrite(spec: OverwriteSpec): APIOverwrite {
  return {
    id: spec.id,
    type: spec.type === "role" ? 0 : 1,
    allow: bits(spec.allow).toString(),
    deny: bits(spec.deny).toString(),
  };
}

/** Guilds, channels (incl. threads), members and stored messages: the state REST and gateway share. */
export class World {
  readonly guilds = new Map<string, GuildState>();
  readonly channels = new Map<string, GuildChannel>();
  readonly messages = new Map<string, APIMessage & { guild_id?: string }>();

  constructor(
    readonly bot: APIUser,
    specs: GuildSpec[],
    newId: () => string,
  ) {
    for (const spec of specs) this.addGuild(spec, newId);
  }

  private addGuild(spec: GuildSpec, newId: () => string): void {
    const joinedAt = discordTimestamp();
    const roles = new Map<string, APIRole>();
    roles.set(
      spec.id,
      role(spec.id, "@everyone", bits(spec.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS), 0),
    );
    for (const r of spec.roles ?? [])
      roles.set(r.id, role(r.id, r.name, bits(r.permissions), r.position ?? 1));
    // Discord gives a bot that joins with permissions a managed role named after it.
    const botRoleId = newId();
    roles.set(botRoleId, role(botRoleId, this.bot.username, bits(spec.botPermissions), 1, this.bot.id));
    const guild: GuildState = {
      id: spec.id,
      name: spec.name ?? "Paperboy Test Guild",
      ownerId: spec.ownerId,
      joinedAt,
      roles,
      members: new Map(),
      channelIds: [],
    };
    guild.members.set(this.bot.id, guildMember(this.bot, [botRoleId], null, joinedAt));
    for (const m of spec.members ?? []) {
      guild.members.set(m.user.id, guildMember(apiUser(m.user), m.roles ?? [], m.nick ?? null, joinedAt));
    }
    this.guilds.set(guild.id, guild);
    for (const [position, c] of (spec.channels ?? []).entries()) {
      const base = {
        id: c.id,
        guild_id: guild.id,
        name: c.name,
        position,
        permission_overwrites: (c.permissionOverwrites ?? []).map(overwrite),
        flags: 0,
      };
      const channel: GuildChannel =
        c.type === 4
          ? { ...base, type: 4, parent_id: null }
          : {
              ...base,
              type: c.type ?? 0,
              parent_id: c.parentId ?? null,
              topic: c.topic ?? null,
              nsfw: false,
              last_message_id: null,
              rate_limit_per_user: 0,
            };
      this.channels.set(c.id, channel);
      guild.channelIds.push(c.id);
    }
  }

  guildOf(channelId: string): GuildState | undefined {
    const channel = this.channels.get(channelId);
    return channel?.guild_id === undefined ? undefined : this.guilds.get(channel.guild_id);
  }

  /** A configured member, or a role-less stand-in so tests can act as arbitrary users. */
  member(guild: GuildState, userId: string): APIGuildMember & { user: APIUser } {
    const known = guild.members.get(userId);
    if (known) return known;
    return guildMember(
      apiUser({ id: userId, username: `user${userId.slice(-4)}` }),
      [],
      null,
      guild.joinedAt,
    );
  }

  /** Discord's "compute base permissions": owner and Administrator get everything, else @everyone | roles. */
  basePermissions(guild: GuildState, userId: string): bigint {
    if (userId === guild.ownerId) return ALL_PERMISSIONS;
    const member = this.member(guild, userId);
    let perms = bits(guild.roles.get(guild.id)?.permissions);
    for (const id of member.roles) perms |= bits(guild.roles.get(id)?.permissions);
    return perms & PermissionFlagsBits.Administrator ? ALL_PERMISSIONS : perms;
  }

  /** Discord's "compute overwrites": @everyone, then all role overwrites together, then the member's own. */
  channelPermissions(channelId: string, userId: string): bigint {
    const guild = this.guildOf(channelId);
    let channel = this.channels.get(channelId);
    if (!guild || !channel) return 0n;
    let perms = this.basePermissions(guild, userId);
    if (perms === ALL_PERMISSIONS) return perms;
    // Threads have no overwrites of their own; they inherit their parent's.
    if ((channel.type === 11 || channel.type === 12) && channel.parent_id) {
      channel = this.channels.get(channel.parent_id) ?? channel;
    }
    const overwrites = "permission_overwrites" in channel ? (channel.permission_overwrites ?? []) : [];
    const everyone = overwrites.find((o) => o.id === guild.id);
    if (everyone) perms = (perms & ~bits(everyone.deny)) | bits(everyone.allow);
    const roles = new Set(this.member(guild, userId).roles);
    let allow = 0n;
    let deny = 0n;
    for (const o of overwrites) {
      if (o.type === 0 && roles.has(o.id)) {
        allow |= bits(o.allow);
        deny |= bits(o.deny);
      }
    }
    perms = (perms & ~deny) | allow;
    const own = overwrites.find((o) => o.type === 1 && o.id === userId);
    if (own) perms = (perms & ~bits(own.deny)) | bits(own.allow);
    // Implicit permission: without View Channel a member can do nothing in the channel.
    return perms & PermissionFlagsBits.ViewChannel ? perms : 0n;
  }

  channel(id: string): APIChannel | undefined {
    return this.channels.get(id);
  }
}
