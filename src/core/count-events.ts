import type { Metrics } from "./metrics.js";
import type { Paperboy } from "./paperboy.js";

/**
 * The core as platforms reach it, each event counted once where it comes in: a mention answered like
 * a command counts as a mention, not also as a command, since inside the core it calls the command
 * directly. Reactions are counted by what became of them too.
 */
export function withEventCounts(core: Paperboy, metrics: Metrics): Paperboy {
  return {
    deps: core.deps,
    command(context, text) {
      metrics.eventReceived(context.address.platform, "command");
      return core.command(context, text);
    },
    async reaction(event) {
      metrics.eventReceived(event.platform, "reaction");
      try {
        const outcome = await core.reaction(event);
        metrics.voteRecorded(outcome);
        return outcome;
      } catch (error) {
        metrics.voteRecorded("failed");
        throw error;
      }
    },
    mention(event) {
      metrics.eventReceived(event.platform, "mention");
      return core.mention(event);
    },
    threadReply(event) {
      metrics.eventReceived(event.platform, "thread_reply");
      return core.threadReply(event);
    },
  };
}
