import {
  type Client,
  Events,
  type MessageReaction,
  type PartialMessageReaction,
  type PartialUser,
  type User,
} from "discord.js";
import type { Paperboy } from "../../core/paperboy.js";
import type { Logger } from "../../core/ports.js";

/**
 * messageReactionAdd / Remove on the bot's paper posts become votes. With the Message and Reaction
 * partials, reactions on messages posted before a restart (not in the cache) still arrive; the ids
 * they carry are all a vote needs, so nothing is fetched.
 */
export function registerReactions(client: Client, core: Paperboy, logger: Logger): void {
  const handle =
    (added: boolean) => (reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser) => {
      const emoji = reaction.emoji.id
        ? (reaction.emoji.name ?? `custom:${reaction.emoji.id}`)
        : (reaction.emoji.name ?? "");
      void core
        .reaction({
          platform: "discord",
          channelRef: reaction.message.channelId,
          messageRef: reaction.message.id,
          userRef: user.id,
          emoji,
          added,
          // Gateway dispatches carry no time of their own; the arrival time orders add and remove.
          eventAt: new Date(),
          fromBot: Boolean(user.bot) || user.id === client.user?.id,
        })
        .catch((error: Error) => logger.error({ err: error.message }, "discord: reaction not recorded"));
    };
  client.on(Events.MessageReactionAdd, handle(true));
  client.on(Events.MessageReactionRemove, handle(false));
}
