import type { Store } from "../ports.js";

/** Someone wrote in a thread; only replies under paper posts count, and never the bot's own. */
export interface ThreadReplyEvent {
  platform: string;
  channelRef: string;
  threadRef: string;
  fromBot: boolean;
}

export type ThreadReplyOutcome = "counted" | "ignored-bot" | "not-a-paper-thread";

/** Counts a reply in a paper's thread (the text is not kept): the discussion signal of trending and top. */
export async function countThreadReply(
  store: Pick<Store, "channels" | "posts">,
  event: ThreadReplyEvent,
): Promise<ThreadReplyOutcome> {
  if (event.fromBot) return "ignored-bot";
  const channel = await store.channels.find(event.platform, event.channelRef);
  if (!channel) return "not-a-paper-thread";
  return (await store.posts.countReply(channel.id, event.threadRef)) ? "counted" : "not-a-paper-thread";
}
