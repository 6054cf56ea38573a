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
import type { InFlight } from "../in-flight.js";

/**
 * Gateway dispatches carry no time of their own, so a reaction is stamped with its arrival, which
 * orders an add and its remove when the votes are stored (the later event wins). Two events often
 * arrive within one millisecond, and a tie would drop the second: the stamps are strictly increasing.
 */
export function arrivalClock(now: () => number = Date.now): () => Date {
  let last = 0;
  return () => {
    last = Math.max(now(), last + 1);
    return new Date(last);
  };
}

/** How a reaction's emoji is named to the core: unicode as is, a custom emoji by name, else by id. */
export function reactionEmojiName(emoji: { id: string | null; name: string | null }): string {
  return emoji.id ? (emoji.name ?? `custom:${emoji.id}`) : (emoji.name ?? "");
}

/**
 * messageReactionAdd / Remove on the bot's paper posts become votes. With the Message and Reaction
 * partials, reactions on messages posted before a restart (not in the cache) still arrive; the ids
 * they carry are all a vote needs, so nothing is fetched. Each write is tracked in `votes`, so a
 * command can wait for the votes that arrived before it.
 */
export function registerReactions(client: Client, core: Paperboy, logger: Logger, votes: InFlight): void {
  const arrived = arrivalClock();
  const handle =
    (added: boolean) => (reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser) => {
      void votes
        .track(
          core.reaction({
            platform: "discord",
            channelRef: reaction.message.channelId,
            messageRef: reaction.message.id,
            userRef: user.id,
            emoji: reactionEmojiName(reaction.emoji),
            added,
            eventAt: arrived(),
            fromBot: Boolean(user.bot) || user.id === client.user?.id,
          }),
        )
        .catch((error: Error) => logger.error({ err: error.message }, "discord: reaction not recorded"));
    };
  client.on(Events.MessageReactionAdd, handle(true));
  client.on(Events.MessageReactionRemove, handle(false));
}
