import { firstDelivery } from "../first-delivery.js";
import type { Logger, Store } from "../ports.js";

/** Someone wrote in a thread; only replies under paper posts count, and never the bot's own. */
export interface ThreadReplyEvent {
  platform: string;
  channelRef: string;
  threadRef: string;
  fromBot: boolean;
  /** The platform's id of this event (Slack event_id, Discord message id): a redelivery counts once. */
  eventId?: string;
}

export type ThreadReplyOutcome = "counted" | "ignored-bot" | "not-a-paper-thread" | "already-counted";

/** Counts a reply in a paper's thread (the text is not kept): the discussion signal of trending and top. */
export async function countThreadReply(
  deps: { store: Pick<Store, "channels" | "posts" | "events">; logger: Logger },
  event: ThreadReplyEvent,
): Promise<ThreadReplyOutcome> {
  const { store } = deps;
  if (event.fromBot) return "ignored-bot";
  const channelId = await store.channels.idOf(event.platform, event.channelRef);
  if (channelId === null) return "not-a-paper-thread";
  // Claimed only in channels paperboy knows: chatter elsewhere leaves no rows.
  if (!(await firstDelivery(deps, event.platform, event.eventId, "reply"))) return "already-counted";
  return (await store.posts.countReply(channelId, event.threadRef)) ? "counted" : "not-a-paper-thread";
}
