import { type Client, ThreadAutoArchiveDuration } from "discord.js";
import type { Channel } from "../../core/channel.js";
import type { DigestPoster } from "../../core/chat-platform.js";
import { toPlatformError } from "./discord-errors.js";
import { replyMessage } from "./render-embeds.js";
import { threadReplyMessage } from "./render-thread-message.js";

const THREAD_NAME_MAX = 100;

/**
 * Adds thread replies (briefings) and image posts (the weekly recap) to the Discord poster. A paper's
 * thread is started from its message, so it takes the message's id; the bot needs Create Public
 * Threads and Send Messages in Threads in the channel.
 */
export function withDiscordThreads(poster: DigestPoster, client: Client): DigestPoster {
  const sendable = async (channel: Channel) => {
    const target = await client.channels.fetch(channel.channelRef);
    if (!target?.isSendable() || !target.isTextBased() || target.isDMBased())
      throw new Error(`channel ${channel.channelRef} is not a text channel the bot can post in`);
    return target;
  };
  return {
    postHeader: (channel, header) => poster.postHeader(channel, header),
    postPaper: (channel, card) => poster.postPaper(channel, card),
    async postThreadReply(channel, threadRef, reply) {
      try {
        const parent = await sendable(channel);
        if (parent.isThread())
          throw new Error(`${channel.channelRef} is a thread; papers are posted in channels`);
        const message = await parent.messages.fetch(threadRef);
        const name = (reply.briefing?.title ?? reply.title).replace(/[\p{Cc}\p{Cf}]/gu, " ").trim();
        const thread =
          message.thread ??
          (await message.startThread({
            name: name.length <= THREAD_NAME_MAX ? name : `${name.slice(0, THREAD_NAME_MAX - 1)}…`,
            autoArchiveDuration: ThreadAutoArchiveDuration.OneWeek,
          }));
        await thread.send(threadReplyMessage(reply) as never);
        return thread.id;
      } catch (error) {
        throw toPlatformError(error, `post in a thread of ${channel.channelRef}`);
      }
    },
    async postImage(channel, reply, image) {
      try {
        const target = await sendable(channel);
        const message = replyMessage({ ...reply, shareCommand: undefined });
        const [first, ...rest] = message.embeds;
        const sent = await target.send({
          ...message,
          // The chart shows inside the recap's embed.
          embeds: [{ ...first, image: { url: `attachment://${image.filename}` } }, ...rest],
          files: [
            {
              attachment: Buffer.from(image.png),
              name: image.filename,
              description: image.altText.slice(0, 1024),
            },
          ],
        } as never);
        return sent.id;
      } catch (error) {
        throw toPlatformError(error, `post an image in ${channel.channelRef}`);
      }
    },
  };
}
