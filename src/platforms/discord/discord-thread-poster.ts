import { type Client, RESTJSONErrorCodes, Routes, ThreadAutoArchiveDuration } from "discord.js";
import type { DigestPoster } from "../../core/chat-platform.js";
import { toPlatformError } from "./discord-errors.js";
import { toApiBody } from "./discord-poster.js";
import { cut, replyMessage } from "./render-embeds.js";
import { threadReplyMessage } from "./render-thread-message.js";

const THREAD_NAME_MAX = 100;

const threadName = (title: string) => {
  const name = title.replace(/[\p{Cc}\p{Cf}]/gu, " ").trim() || "Discussion";
  return cut(name, THREAD_NAME_MAX);
};

/**
 * Adds thread replies (briefings) and image posts (the weekly recap) to the Discord poster, through
 * REST as the poster does: `paperboy digest --now` has no gateway cache. A paper's thread is started
 * from its message and so takes the message's id; the bot needs Create Public Threads and Send
 * Messages in Threads in the channel, and Attach Files for the recap's chart.
 */
export function withDiscordThreads(poster: DigestPoster, client: Client): DigestPoster {
  return {
    postHeader: (channel, header, key) => poster.postHeader(channel, header, key),
    postPaper: (channel, card, key) => poster.postPaper(channel, card, key),
    async postThreadReply(channel, messageRef, reply) {
      try {
        await client.rest
          .post(Routes.threads(channel.channelRef, messageRef), {
            body: {
              name: threadName(reply.briefing?.title ?? reply.title),
              auto_archive_duration: ThreadAutoArchiveDuration.OneWeek,
            },
          })
          .catch((error: { code?: unknown }) => {
            // A retry after a crash finds the thread already started: post in it.
            if (error.code !== RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) throw error;
          });
        await client.rest.post(Routes.channelMessages(messageRef), {
          body: toApiBody(threadReplyMessage(reply)),
        });
        return messageRef;
      } catch (error) {
        throw toPlatformError(error, `post in a thread of ${channel.channelRef}`);
      }
    },
    async postImage(channel, reply, image) {
      try {
        const message = replyMessage({ ...reply, shareCommand: undefined });
        const [first, ...rest] = message.embeds;
        const sent = (await client.rest.post(Routes.channelMessages(channel.channelRef), {
          body: {
            ...toApiBody({
              ...message,
              // The chart shows inside the recap's embed.
              embeds: [{ ...first, image: { url: `attachment://${image.filename}` } }, ...rest],
            }),
            attachments: [{ id: 0, filename: image.filename, description: image.altText.slice(0, 1024) }],
          },
          files: [{ name: image.filename, data: Buffer.from(image.png), contentType: "image/png" }],
        })) as { id: string };
        return sent.id;
      } catch (error) {
        throw toPlatformError(error, `post an image in ${channel.channelRef}`);
      }
    },
  };
}
