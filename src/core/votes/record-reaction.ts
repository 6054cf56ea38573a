import type { Logger, Store } from "../ports.js";
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
  store: Pick<Store, "channels" | "posts" | "votes">;
  emojiActions: Map<string, VoteAction>;
  logger: Logger;
}

/** Turns a reaction on one of the bot's paper posts into a vote or a bookmark; everything else is ignored. */
export async function recordReaction(deps: ReactionDeps, event: ReactionEvent): Promise<ReactionOutcome> {
  if (event.fromBot) return "ignored-bot";
  const emoji = canonicalEmoji(event.emoji);
  const action = deps.emojiActions.get(emoji);
  if (!action) return "ignored-emoji";
  const channel = await deps.store.channels.find(event.platform, event.channelRef);
  if (!channel) return "not-a-paper-post";
  const post = await deps.store.posts.byMessage(channel.id, event.messageRef);
  if (!post) return "not-a-paper-post";
  if (oversizedRef({ userRef: event.userRef })) {
    deps.logger.warn(
      { length: event.userRef.length },
      "reaction ignored: user id longer than any platform's",
    );
    return "unchanged";
  }
  const changed = await deps.store.votes.apply({
    postId: post.id,
    paperId: post.paperId,
    platform: event.platform,
    userRef: event.userRef,
    emoji,
    action,
    added: event.added,
    eventAt: event.eventAt,
  });
  deps.logger.debug({ paper: post.paperId, emoji, action, added: event.added, changed }, "reaction");
  return changed ? "recorded" : "unchanged";
}
