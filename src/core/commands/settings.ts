import { ok } from "../result.js";
import type { CommandDefinition } from "./command.js";
import { describeSettings } from "./describe-settings.js";

export const settingsCommand: CommandDefinition<Record<string, never>> = {
  name: "settings",
  usage: "/papers settings",
  summary: "this channel's digest settings",
  parse: () => ok({}),
  async run(deps, context) {
    const channel = await deps.store.channels.find(context.address.platform, context.address.channelRef);
    if (!channel?.subscribed) {
      return {
        visibility: "ephemeral",
        tone: "info",
        title: "No daily digest in this channel",
        lines: ["An admin can start one: /papers subscribe [topics…] [at HH:MM] [tz Area/City] [count N]"],
      };
    }
    return {
      visibility: "ephemeral",
      tone: "info",
      title: "This channel's digest",
      lines: describeSettings(channel),
    };
  },
};
