import type { App } from "@slack/bolt";
import type { Paperboy } from "../../core/paperboy.js";
import type { Logger } from "../../core/ports.js";
import { fallbackText } from "./render-blocks.js";
import { threadReplyBlocks } from "./render-thread-blocks.js";
import { typedText } from "./slack-text.js";

interface MessageEventBody {
  subtype?: string;
  channel: string;
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
}

/**
 * Mentions and thread replies. `app_mention` in a paper's thread is a question about that paper
 * (answered in the thread); elsewhere it is answered like `/papers <text>`, in a thread under the
 * mention. Every `message` in a thread counts toward its paper's discussion (not stored). Needs the
 * app_mentions:read and channels:history scopes (groups:history for private channels) and the
 * app_mention and message.channels event subscriptions. Bolt acks before the listener runs, so Slack's
 * retries (same event_id, to any replica) are told apart by the core from the envelope's event_id.
 */
export function registerMentions(app: App, core: Paperboy, logger: Logger): void {
  app.event("app_mention", async ({ event, body, say, context }) => {
    const threadRef = event.thread_ts ?? null;
    const reply = await core.mention({
      platform: "slack",
      channelRef: event.channel,
      threadRef,
      userRef: event.user ?? "",
      text: typedText(event.text),
      workspaceId: context.teamId ?? event.team ?? "",
      eventId: body.event_id,
    });
    if (!reply) return;
    await say({
      text: fallbackText(reply),
      blocks: threadReplyBlocks(reply) as never,
      thread_ts: threadRef ?? event.ts,
      unfurl_links: false,
      unfurl_media: false,
    });
  });
  app.event("message", async ({ event, body, context }) => {
    const message = event as unknown as MessageEventBody;
    // Edits, deletions and joins are no replies; a reply also sent to the channel is.
    if (message.subtype && message.subtype !== "thread_broadcast") return;
    if (!message.thread_ts || message.thread_ts === message.ts) return;
    const outcome = await core.threadReply({
      platform: "slack",
      channelRef: message.channel,
      threadRef: message.thread_ts,
      fromBot: Boolean(message.bot_id) || message.user === context.botUserId,
      eventId: body.event_id,
    });
    logger.debug({ channel: message.channel, thread: message.thread_ts, outcome }, "slack: thread reply");
  });
}
