import type { DigestSettings } from "../channel.js";
import { nextDigestAt } from "../digests/schedule.js";
import { MAX_REF, oversizedRef } from "../refs.js";
import { errorReply, type Reply } from "../reply.js";
import type { CommandContext, CommandDefinition, CommandDeps } from "./command.js";
import { describeSettings } from "./describe-settings.js";
import { parseSubscribeOptions, type SubscribeOptions } from "./subscribe-options.js";

export function mayConfigure(deps: CommandDeps, context: CommandContext): boolean {
  return context.isAdmin || deps.admins.includes(context.userRef);
}

export const refusal: Reply = {
  visibility: "ephemeral",
  tone: "error",
  title: "Only admins can change this channel's digest",
  lines: [
    "Ask a workspace admin (on Discord: someone with Manage Channels) to run it, or to add you to PAPERBOY_ADMINS.",
  ],
};

export const subscribeCommand: CommandDefinition<SubscribeOptions> = {
  name: "subscribe",
  adminOnly: true,
  usage:
    "/papers subscribe [topics…] [at HH:MM] [tz Area/City] [count N] [min-upvotes N] [above SCORE] [threads on|off] [weekends on|off]",
  summary: "a daily digest in this channel (admins)",
  parse: parseSubscribeOptions,
  async run(deps, context, options) {
    if (!mayConfigure(deps, context)) return refusal;
    const { address } = context;
    const tooLong = oversizedRef({ channel: address.channelRef, workspace: address.workspaceId });
    if (tooLong)
      return errorReply(
        `This ${tooLong}'s id is longer than ${MAX_REF} characters; paperboy can't store it.`,
      );
    // The name is only shown: a long one is clipped, not refused.
    const channel = await deps.store.channels.ensure({ ...address, name: address.name?.slice(0, MAX_REF) });
    const base: DigestSettings = channel.subscribed
      ? channel
      : {
          digestTime: deps.defaults.digestTime,
          timezone: context.timezone ?? deps.defaults.timezone,
          weekdaysOnly: true,
          paperCount: 5,
          topics: [],
          minUpvotes: null,
          minScore: null,
          threads: true,
        };
    const settings: DigestSettings = {
      digestTime: options.digestTime ?? base.digestTime,
      timezone: options.timezone ?? base.timezone,
      weekdaysOnly: options.weekdaysOnly ?? base.weekdaysOnly,
      paperCount: options.paperCount ?? base.paperCount,
      topics: options.topics ?? base.topics,
      minUpvotes: options.minUpvotes ?? base.minUpvotes,
      minScore: options.minScore ?? base.minScore,
      threads: options.threads ?? base.threads,
    };
    const next = nextDigestAt(settings, deps.clock.now());
    const updated = await deps.store.channels.subscribe(channel.id, settings, next);
    deps.logger.info({ channel: channel.channelRef, by: context.userRef, settings }, "channel subscribed");
    return {
      visibility: "channel",
      tone: "success",
      title: channel.subscribed
        ? "Digest settings updated"
        : "Subscribed: this channel gets a daily paper digest",
      lines: describeSettings(updated, next),
    };
  },
};
