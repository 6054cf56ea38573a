import { PermissionFlagsBits } from "discord.js";
import type { GuildSpec, UserSpec } from "./world.js";

/**
 * Default ids and names, taken from the recorded payloads so a default emulator looks like the
 * recordings: the bot and application from discord_gateway_ready.json, guild and channel from
 * discord_gateway_interaction_create_command.json, users from the interaction and reaction fixtures.
 */
export const DISCORD_DEFAULTS = {
  applicationId: "1030118727418646629",
  bot: { id: "1030118727418646629", username: "DisBMLibTestBot", bot: true } satisfies UserSpec,
  guildId: "1011977515109187704",
  channelId: "1011977515109187707",
  /** Guild owner: every permission, including Manage Channels. */
  owner: {
    id: "395786107780071424",
    username: "wrathful_vengeance_god_unleashed",
    globalName: "adr",
  } satisfies UserSpec,
  /** Holds the "Moderators" role, which grants Manage Channels. */
  moderator: { id: "53908232506183680", username: "Mason" } satisfies UserSpec,
  moderatorRoleId: "539082325061836999",
  /** A plain member: @everyone permissions only, so no Manage Channels. */
  member: { id: "1033044521375764530", username: "testuser2384", globalName: "Test User" } satisfies UserSpec,
} as const;

export function defaultGuild(): GuildSpec {
  const d = DISCORD_DEFAULTS;
  return {
    id: d.guildId,
    name: "Paperboy Test Guild",
    ownerId: d.owner.id,
    roles: [
      {
        id: d.moderatorRoleId,
        name: "Moderators",
        permissions: PermissionFlagsBits.ManageChannels,
        position: 1,
      },
    ],
    channels: [{ id: d.channelId, name: "general" }],
    members: [{ user: d.owner }, { user: d.moderator, roles: [d.moderatorRoleId] }, { user: d.member }],
  };
}
