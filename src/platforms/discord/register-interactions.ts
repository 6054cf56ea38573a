import { type Client, Events, type Interaction, MessageFlags } from "discord.js";
import { needsAdmin } from "../../core/commands/parse-command.js";
import { mayConfigure } from "../../core/commands/subscribe.js";
import type { Paperboy } from "../../core/paperboy.js";
import type { Logger } from "../../core/ports.js";
import type { InFlight } from "../in-flight.js";
import { interactionToText } from "./interaction-to-text.js";
import { MANAGE_CHANNELS } from "./papers-command-definition.js";
import { inert, replyMessage, SHARE_PREFIX } from "./render-embeds.js";

export interface InteractionTracking {
  /** Every interaction being answered, so a stop lets it finish. */
  work: InFlight;
  /** Votes being stored: a command waits for those that arrived before it, so /papers top sees them. */
  votes: InFlight;
}

/** How long a command waits for the votes that arrived before it; a stuck write must not hold it up. */
const VOTES_WAIT_MS = 2_000;

/**
 * Slash commands, autocomplete and the Share button. Commands are deferred at once (Discord allows
 * 3 s) and answered by editing the deferred reply; searches, settings and refusals stay ephemeral.
 */
export function registerInteractions(
  client: Client,
  core: Paperboy,
  logger: Logger,
  tracking: InteractionTracking,
): void {
  client.on(Events.InteractionCreate, (interaction) => {
    void tracking.work
      .track(handle(interaction, core, tracking.votes))
      .catch((error: Error) =>
        logger.error({ err: error.message, interaction: interaction.id }, "discord: interaction failed"),
      );
  });
}

async function handle(interaction: Interaction, core: Paperboy, votes: InFlight): Promise<void> {
  if (interaction.isAutocomplete()) {
    const typed = interaction.options.getFocused();
    const words = await core.deps.store.papers.wordsWithPrefix(typed.split(/\s+/).pop() ?? "", 25);
    const prefix = typed.includes(" ") ? `${typed.slice(0, typed.lastIndexOf(" "))} ` : "";
    const choices = words
      .map((w) => `${prefix}${w}`)
      // A choice is at most 100 characters; a cut one would complete to something never typed.
      .filter((choice) => choice.length <= 100)
      .map((choice) => ({ name: choice, value: choice }));
    await interaction.respond(choices);
    return;
  }
  if (interaction.isButton() && interaction.customId.startsWith(SHARE_PREFIX)) {
    await interaction.deferReply();
    await votes.settled(VOTES_WAIT_MS);
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
  const isAdmin = admin && Boolean(interaction.memberPermissions?.has(MANAGE_CHANNELS));
  const context = contextOf(interaction, isAdmin);
  // Answers to admin commands (subscribe) are for the channel, everything else only for the asker;
  // so is a refusal, decided before anything shows (Manage Channels, or PAPERBOY_ADMINS).
  const allowed = admin && mayConfigure(core.deps, context);
  await interaction.deferReply(allowed ? {} : { flags: MessageFlags.Ephemeral });
  // Votes that reached the bot before this command count in its answer (/papers top).
  await votes.settled(VOTES_WAIT_MS);
  const reply = await core.command(context, text);
  if (reply.tone === "error" && allowed) {
    // A mistyped option: nobody else's business either. Drop the public placeholder, answer privately.
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
