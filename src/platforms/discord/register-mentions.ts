import { type Client, Events, type Message } from "discord.js";
import type { Paperboy } from "../../core/paperboy.js";
import type { Logger } from "../../core/ports.js";
import type { InFlight } from "../in-flight.js";
import { threadReplyMessage } from "./render-thread-message.js";

/**
 * Mentions and thread replies. A mention of the bot in a paper's thread is a question about that
 * paper; elsewhere it is answered like `/papers <text>`. Every message in a thread counts toward its
 * paper's discussion (not stored). Needs the GuildMessages intent; Discord delivers the content of
 * messages that mention the bot without the privileged Message Content intent, and the count needs none.
 * Discord may send a message again after a reconnect: discord.js drops one still in its cache, but a
 * restarted or other process has none, so the core claims the message id (a unique snowflake).
 */
export function registerMentions(client: Client, core: Paperboy, logger: Logger, work?: InFlight): void {
  client.on(Events.MessageCreate, (message) => {
    const task = handle(client, core, logger, message).catch((error: Error) =>
      logger.error({ err: error.message, message: message.id }, "discord: mention or reply not handled"),
    );
    // A stop lets an answer being written finish.
    void work?.track(task);
  });
}

async function handle(client: Client, core: Paperboy, logger: Logger, message: Message): Promise<void> {
  // The bot's own posts, other bots and system messages (thread created, pins) are no discussion.
  if (message.author.bot || message.system || !message.inGuild()) return;
  const thread = message.channel.isThread() ? message.channel : null;
  // A paper's thread hangs off the paper's channel, where the post was recorded.
  const channelRef = thread?.parentId ?? message.channelId;
  if (thread) {
    // A count that can't be stored (the database away) must not keep a question from its answer,
    // which then says the database is unavailable.
    await core
      .threadReply({
        platform: "discord",
        channelRef,
        threadRef: thread.id,
        fromBot: false,
        eventId: message.id,
      })
      .catch((error: Error) =>
        logger.warn({ err: error.message, message: message.id }, "discord: thread reply not counted"),
      );
  }
  const me = client.user;
  if (!me || !message.mentions.has(me, { ignoreEveryone: true, ignoreRoles: true, ignoreRepliedUser: true }))
    return;
  const reply = await core.mention({
    platform: "discord",
    channelRef,
    threadRef: thread?.id ?? null,
    userRef: message.author.id,
    text: message.content,
    workspaceId: message.guildId,
    eventId: message.id,
  });
  if (!reply) return;
  await message.reply({
    ...threadReplyMessage(reply),
    allowedMentions: { parse: [], repliedUser: false },
  } as never);
}
