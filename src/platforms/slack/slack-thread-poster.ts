import type { webApi } from "@slack/bolt";
import type { DigestPoster } from "../../core/chat-platform.js";
import type { Reply } from "../../core/reply.js";
import { escapeMrkdwn, fitText } from "./escape-mrkdwn.js";
import { fallbackText } from "./render-blocks.js";
import { threadReplyBlocks } from "./render-thread-blocks.js";
import { toPlatformError } from "./slack-errors.js";
import { channelQueues, type InChannel } from "./slack-poster.js";

/** A reply as plain mrkdwn (a file's initial comment takes no blocks). */
function replyText(reply: Reply): string {
  const lines = [`*${escapeMrkdwn(reply.title)}*`, ...(reply.lines ?? []).map(escapeMrkdwn)];
  if (reply.footer) lines.push(`_${escapeMrkdwn(reply.footer)}_`);
  return fitText(lines.join("\n"), 3500);
}

/**
 * Adds thread replies (briefings) and image posts (the weekly recap) to the Slack poster. What it
 * sends in a channel waits its turn in `inChannel`, the queues the poster was given too, so a digest
 * with briefings stays within Slack's posting limit of one message a second. Uploads need the
 * files:write scope.
 */
export function withSlackThreads(
  poster: DigestPoster,
  client: webApi.WebClient,
  inChannel: InChannel = channelQueues(),
): DigestPoster {
  const guarded = async <T>(action: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw toPlatformError(error, action);
    }
  };
  return {
    postHeader: (channel, header, key) => poster.postHeader(channel, header, key),
    postPaper: (channel, card, key) => poster.postPaper(channel, card, key),
    postThreadReply: (channel, threadRef, reply) =>
      inChannel(channel.channelRef, () =>
        guarded(`post in a thread of ${channel.channelRef}`, async () => {
          await client.chat.postMessage({
            channel: channel.channelRef,
            thread_ts: threadRef,
            text: fallbackText(reply),
            blocks: threadReplyBlocks(reply) as never,
            unfurl_links: false,
            unfurl_media: false,
          });
          // On Slack a thread is its parent's ts: nothing new to record.
          return undefined;
        }),
      ),
    postImage: (channel, reply, image) =>
      inChannel(channel.channelRef, () =>
        guarded(`upload an image to ${channel.channelRef}`, async () => {
          const result = await client.files.uploadV2({
            channel_id: channel.channelRef,
            file: Buffer.from(image.png),
            filename: image.filename,
            title: reply.title,
            alt_text: image.altText.slice(0, 1000),
            initial_comment: replyText(reply),
          });
          const files = (result as { files?: { files?: { id?: string }[] }[] }).files ?? [];
          return files[0]?.files?.[0]?.id ?? image.filename;
        }),
      ),
  };
}
