import { type Client, Routes } from "discord.js";
import type { Channel } from "../../core/channel.js";
import type { DigestPoster } from "../../core/chat-platform.js";
import { toPlatformError } from "./discord-errors.js";
import { cardEmbed, headerMessage, type MessageJson } from "./render-embeds.js";

/** A message as the API takes it: `allowed_mentions`, never pinging anyone. */
export function toApiBody(message: MessageJson): Record<string, unknown> {
  return {
    ...(message.content !== undefined ? { content: message.content } : {}),
    embeds: message.embeds,
    ...(message.components ? { components: message.components } : {}),
    allowed_mentions: { parse: [] },
  };
}

/**
 * Posts digests as a header and one embed message per paper, so each paper collects its own
 * reactions. Straight through the REST client: `paperboy digest --now` posts without logging in to
 * the gateway, so no guild or channel is cached, and a post needs none. Rate limits are the REST
 * queue's business (it waits out 429s and retries).
 */
export function createDiscordPoster(client: Client): DigestPoster {
  const send = async (
    channel: Channel,
    message: MessageJson,
    action: string,
    key: string | undefined,
  ): Promise<string> => {
    // With an enforced nonce, Discord answers a repeat of the same post (the REST client retrying a
    // 5xx or a reset connection, a retried digest) with the message it already made.
    const once = key ? { nonce: key, enforce_nonce: true } : {};
    try {
      const sent = (await client.rest.post(Routes.channelMessages(channel.channelRef), {
        body: { ...toApiBody(message), ...once },
      })) as { id: string };
      return sent.id;
    } catch (error) {
      throw toPlatformError(error, action);
    }
  };
  return {
    postHeader: (channel, header, key) =>
      send(channel, headerMessage(header), `post the digest header in ${channel.channelRef}`, key),
    postPaper: async (channel, card, key) => ({
      messageRef: await send(
        channel,
        { embeds: [cardEmbed(card)], allowedMentions: { parse: [] } },
        `post a paper in ${channel.channelRef}`,
        key,
      ),
    }),
  };
}
