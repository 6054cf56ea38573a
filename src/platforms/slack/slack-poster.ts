import type { webApi } from "@slack/bolt";
import PQueue from "p-queue";
import type { Channel } from "../../core/channel.js";
import type { DigestPoster } from "../../core/chat-platform.js";
import { escapeMrkdwn } from "./escape-mrkdwn.js";
import { cardBlocks, headerBlocks } from "./render-blocks.js";
import { toPlatformError } from "./slack-errors.js";

/** Runs `work` in its channel's turn. */
export type InChannel = <T>(channelRef: string, work: () => Promise<T>) => Promise<T>;

/** One queue per channel: at most one message a second in each (Slack's posting limit). */
export function channelQueues(): InChannel {
  const queues = new Map<string, PQueue>();
  return (channelRef, work) => {
    let queue = queues.get(channelRef);
    if (!queue) {
      queue = new PQueue({ concurrency: 1, interval: 1000, intervalCap: 1 });
      queues.set(channelRef, queue);
    }
    return queue.add(work, { throwOnTimeout: true });
  };
}

/**
 * Posts digests: a header, then one message per paper so each collects its own reactions and thread.
 * Each post waits its turn in `inChannel` (pass the same queues to withSlackThreads, so briefings and
 * papers share the limit); the WebClient itself waits out 429s for their Retry-After.
 */
export function createSlackPoster(
  client: webApi.WebClient,
  inChannel: InChannel = channelQueues(),
): DigestPoster {
  const post = async (channel: Channel, text: string, blocks: unknown[], action: string) =>
    inChannel(channel.channelRef, async () => {
      try {
        const result = await client.chat.postMessage({
          channel: channel.channelRef,
          text,
          blocks: blocks as never,
          unfurl_links: false,
          unfurl_media: false,
        });
        return result.ts as string;
      } catch (error) {
        throw toPlatformError(error, action);
      }
    });
  return {
    postHeader: (channel, header) =>
      post(channel, header.title, headerBlocks(header), `post the digest header in ${channel.channelRef}`),
    postPaper: async (channel, card) => ({
      messageRef: await post(
        channel,
        escapeMrkdwn(card.title),
        cardBlocks(card),
        `post a paper in ${channel.channelRef}`,
      ),
    }),
  };
}
