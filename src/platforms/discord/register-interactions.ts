import { type Client, Events, type Interaction, MessageFlags } from "discord.js";
import { needsAdmin } from "../../core/commands/parse-command.js";
import type { Paperboy } from "../../core/paperboy.js";
import type { Logger } from "../../core/ports.js";
import { interactionToText } from "./interaction-to-text.js";
import { MANAGE_CHANNELS } from "./papers-command-definition.js";
import { inert, replyMessage, SHARE_PREFIX } from "./render-embeds.js";

/**
 * Slash commands, autocomplete and the Share button. Commands are deferred at once (Discord allows
 * 3 s) and answered by editing the deferred reply; searches and settings stay ephemeral.
 */
export function registerInteractions(client: Client, core: Paperboy, logger: Logger): void {
  client.on(Events.InteractionCreate, (interaction) => {
    void handle(interaction, core).catch((error: Error) =>
      logger.error({ err: error.message, interaction: interaction.id }, "discord: interaction failed"),
    );
  });
}

async function handle(interaction: Interaction, core: Paperboy): Promise<void> {
  if (interaction.isAutocomplete()) {
    const typed = interaction.options.getFocused();
    const words = await core.deps.store.papers.wordsWithPrefix(typed.split(/\s+/).pop() ?? "", 25);
    const prefix = typed.includes(" ") ? `${typed.slice(0, typed.lastIndexOf(" "))} ` : "";
    await interaction.respond(
      words.map((w) => ({ name: `${prefix}${w}`.slice(0, 100), value: `${prefix}${w}`.slice(0, 100) })),
    );
    return;
  }
  if (interaction.isButton() && interaction.customId.startsWith(SHARE_PREFIX)) {
    await interaction.deferReply();
    const reply = await core.command(
      contextOf(interaction, false),
      interaction.customId.slice(SHARE_PREFIX.length),
    );
    const message = replyMessage({
      ...reply,
      visibility: "channel",
      footer: `Shared by ${interaction.user.username}`,
    });
    await interaction.editReply({
      ...message,
      content: `Shared by ${inert(interaction.user.displayName)}`,
    } as never);
    return;
  }
  if (!interaction.isChatInputCommand() || interaction.commandName !== "papers") return;
  const text = interactionToText(interaction);
  const admin = needsAdmin(text);
  // Admin answers (subscribe) are for the channel; everything else only for the asker.
  await interaction.deferReply(admin ? {} : { flags: MessageFlags.Ephemeral });
  const isAdmin = admin && Boolean(interaction.memberPermissions?.has(MANAGE_CHANNELS));
  const reply = await core.command(contextOf(interaction, isAdmin), text);
  if (reply.tone === "error" && admin) {
    // A refusal is nobody else's business: say it privately, and drop the public placeholder.
    await interaction.deleteReply();
    await interaction.followUp({ ...replyMessage(reply), flags: MessageFlags.Ephemeral } as never);
    return;
  }
  await interaction.editReply(replyMessage(reply) as never);
}

function contextOf(interaction: Interaction, isAdmin: boolean) {
  return {
    address: {
      platform: "discord",
      workspaceId: interaction.guildId ?? "",
      channelRef: interaction.channelId ?? "",
      name:
        interaction.channel && "name" in interaction.channel
          ? (interaction.channel.name ?? undefined)
          : undefined,
    },
    userRef: interaction.user.id,
    isAdmin,
    timezone: undefined,
  };
}
