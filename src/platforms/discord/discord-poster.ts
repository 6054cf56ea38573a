import type { Client } from "discord.js";
import type { Channel } from "../../core/channel.js";
import type { DigestPoster } from "../../core/chat-platform.js";
import { toPlatformError } from "./discord-errors.js";
import { cardEmbed, headerMessage, type MessageJson } from "./render-embeds.js";

/**
 * Posts digests as a header and one embed message per paper, so each paper collects its own
 * reactions. Rate limits are discord.js's REST queue's business (it waits out 429s).
 */
export function createDiscordPoster(client: Client): DigestPoster {
  const send = async (channel: Channel, message: MessageJson, action: string): Promise<string> => {
    try {
      const target = await client.channels.fetch(channel.channelRef);
      if (!target?.isSendable())
        throw new Error(`channel ${channel.channelRef} is not a text channel the bot can post in`);
      const sent = await target.send(message as never);
      return sent.id;
    } catch (error) {
      throw toPlatformError(error, action);
    }
  };
  return {
    postHeader: (channel, header) =>
      send(channel, headerMessage(header), `post the digest header in ${channel.channelRef}`),
    postPaper: async (channel, card) => ({
      messageRef: await send(
        channel,
        { embeds: [cardEmbed(card)], allowedMentions: { parse: [] } },
        `post a paper in ${channel.channelRef}`,
      ),
    }),
  };
}
