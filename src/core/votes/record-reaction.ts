import type { Logger, MessageReaction, MessageReactionResult, Store } from "../ports.js";
import { oversizedRef } from "../refs.js";
import { canonicalEmoji, type VoteAction } from "./emoji-actions.js";

/** A reaction as a platform adapter reports it, normalized to the core's terms. */
export interface ReactionEvent {
  platform: string;
  channelRef: string;
  messageRef: string;
  userRef: string;
  /** As the platform names it: "+1::skin-tone-2", "👍", a custom emoji's name or "custom:<id>". */
  emoji: string;
  added: boolean;
  /** The platform's time for the event; redeliveries carry the same one. */
  eventAt: Date;
  /** The reacting user is a bot (the bot itself included). */
  fromBot: boolean;
}

export type ReactionOutcome = "recorded" | "unchanged" | "ignored-bot" | "ignored-emoji" | "not-a-paper-post";

export interface ReactionDeps {
  store: Pick<Store, "votes">;
  emojiActions: Map<string, VoteAction>;
  logger: Logger;
  /** How a reaction reaches the store; by default alone (the core passes a batching writer). */
  write?: (reaction: MessageReaction) => Promise<MessageReactionResult>;
}

/** Turns a reaction on one of the bot's paper posts into a vote or a bookmark; everything else is ignored. */
export async function recordReaction(deps: ReactionDeps, event: ReactionEvent): Promise<ReactionOutcome> {
  if (event.fromBot) return "ignored-bot";
  const emoji = canonicalEmoji(event.emoji);
  const action = deps.emojiActions.get(emoji);
  if (!action) return "ignored-emoji";
  if (oversizedRef({ userRef: event.userRef })) {
    deps.logger.warn(
      { length: event.userRef.length },
      "reaction ignored: user id longer than any platform's",
    );
    return "unchanged";
  }
  const reaction: MessageReaction = {
    platform: event.platform,
    channelRef: event.channelRef,
    messageRef: event.messageRef,
    userRef: event.userRef,
    emoji,
    action,
    added: event.added,
    eventAt: event.eventAt,
  };
  const result = deps.write
    ? await deps.write(reaction)
    : ((await deps.store.votes.react([reaction]))[0] ?? "not-a-paper-post");
  deps.logger.debug({ message: event.messageRef, emoji, action, added: event.added, result }, "reaction");
  return result;
}
