import { ok } from "../result.js";
import type { CommandDefinition } from "./command.js";
import { mayConfigure, refusal } from "./subscribe.js";

export const unsubscribeCommand: CommandDefinition<Record<string, never>> = {
  name: "unsubscribe",
  adminOnly: true,
  usage: "/papers unsubscribe",
  summary: "stop this channel's daily digest (admins)",
  parse: () => ok({}),
  async run(deps, context) {
    if (!mayConfigure(deps, context)) return refusal;
    const channel = await deps.store.channels.find(context.address.platform, context.address.channelRef);
    if (!channel?.subscribed) {
      return { visibility: "ephemeral", tone: "info", title: "This channel has no daily digest to stop" };
    }
    await deps.store.channels.unsubscribe(channel.id);
    deps.logger.info({ channel: channel.channelRef, by: context.userRef }, "channel unsubscribed");
    return {
      visibility: "channel",
      tone: "success",
      title: "Unsubscribed: no more daily digests here",
      lines: ["Votes and saved papers are kept. /papers subscribe starts the digest again."],
    };
  },
};
