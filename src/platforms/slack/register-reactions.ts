import type { App } from "@slack/bolt";
import type { Paperboy } from "../../core/paperboy.js";

interface ReactionEventBody {
  user: string;
  reaction: string;
  item: { type: string; channel?: string; ts?: string };
  event_ts: string;
}

/**
 * reaction_added / reaction_removed on the bot's paper posts become votes. The event's own time goes
 * with it, so a delivery Slack retries (X-Slack-Retry-Num) changes nothing the second time.
 */
export function registerReactions(app: App, core: Paperboy): void {
  const handle =
    (added: boolean) =>
    async ({
      event,
      context,
    }: {
      event: ReactionEventBody;
      context: { botUserId?: string; teamId?: string };
    }) => {
      if (event.item.type !== "message" || !event.item.channel || !event.item.ts) return;
      await core.reaction({
        platform: "slack",
        channelRef: event.item.channel,
        messageRef: event.item.ts,
        userRef: event.user,
        emoji: event.reaction,
        added,
        eventAt: new Date(Math.round(Number(event.event_ts) * 1000)),
        fromBot: Boolean(context.botUserId && event.user === context.botUserId),
      });
    };
  app.event("reaction_added", handle(true) as never);
  app.event("reaction_removed", handle(false) as never);
}
