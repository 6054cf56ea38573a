import type { CommandContext, CommandDeps } from "./commands/command.js";
import { parseCommand } from "./commands/parse-command.js";
import { createRateLimiter, rateLimitedReply } from "./commands/rate-limit.js";
import { withEventCounts } from "./count-events.js";
import { DatabaseUnavailableError } from "./database-unavailable.js";
import type { DiscussionDeps } from "./discussion/answer-question.js";
import { handleMention, type MentionEvent } from "./discussion/mention.js";
import {
  countThreadReply,
  type ThreadReplyEvent,
  type ThreadReplyOutcome,
} from "./discussion/thread-reply.js";
import { type CommandOutcome, type Metrics, noMetrics, secondsSince } from "./metrics.js";
import { errorReply, type Reply } from "./reply.js";
import type { VoteAction } from "./votes/emoji-actions.js";
import { type ReactionEvent, type ReactionOutcome, recordReaction } from "./votes/record-reaction.js";
import { VoteBuffer } from "./votes/vote-buffer.js";

export interface PaperboyDeps extends CommandDeps {
  emojiActions: Map<string, VoteAction>;
  /** Full texts and a language model for questions in threads; without it, abstracts and quotes only. */
  discussion?: DiscussionDeps;
  /** Where events, command timings and vote outcomes are counted; nothing when absent. */
  metrics?: Metrics;
}

/** The core as platform adapters see it: commands in, replies out; reactions in, votes stored. */
export interface Paperboy {
  command(context: CommandContext, text: string): Promise<Reply>;
  reaction(event: ReactionEvent): Promise<ReactionOutcome | "buffered">;
  /** Votes held while the database is unavailable; the bot flushes them when it stops. Wrappers pass it on. */
  readonly votes?: VoteBuffer;
  /** The bot was mentioned: a question about the paper of the thread, else like `/papers <text>`. */
  mention(event: MentionEvent): Promise<Reply>;
  /** A message in a thread: counted when the thread is a paper's (the discussion signal). */
  threadReply(event: ThreadReplyEvent): Promise<ThreadReplyOutcome>;
  readonly deps: PaperboyDeps;
}

export function createPaperboy(deps: PaperboyDeps): Paperboy {
  const discussion = deps.discussion ?? { fullText: null, llm: null };
  const metrics = deps.metrics ?? noMetrics;
  const votes = new VoteBuffer({ record: (event) => recordReaction(deps, event), logger: deps.logger });
  votes.onDrop((count) => metrics.votesDropped(count));
  const limiter = createRateLimiter(deps.clock);
  const core: Paperboy = {
    deps,
    async command(context, text) {
      // The terminal is one person at their own keyboard (or a script they piped in): never slowed.
      const { platform } = context.address;
      const wait = platform === "terminal" ? 0 : limiter.take(`${platform}:${context.userRef}`);
      if (wait > 0) return rateLimitedReply(wait);
      const started = performance.now();
      const parsed = parseCommand(text);
      const timed = (outcome: CommandOutcome, reply: Reply) => {
        metrics.commandFinished(parsed.command.name, outcome, secondsSince(started));
        return reply;
      };
      if (!parsed.ok) return timed("invalid", errorReply(parsed.error, [`Usage: ${parsed.command.usage}`]));
      try {
        const reply = await parsed.command.run(deps, context, parsed.args);
        return timed(reply.tone === "error" ? "error" : "ok", reply);
      } catch (error) {
        if (error instanceof DatabaseUnavailableError) {
          deps.logger.warn({ err: error.message, command: parsed.command.name }, "command failed");
          return timed("failed", errorReply("The database is unavailable; try again in a moment."));
        }
        deps.logger.error({ err: (error as Error).message, command: parsed.command.name }, "command failed");
        return timed(
          "failed",
          errorReply("Sorry, that didn't work. Try again in a moment.", [
            "If it keeps failing, an admin can check the bot's logs (npx paperboy doctor).",
          ]),
        );
      }
    },
    reaction: (event) => votes.reaction(event),
    // A question in a paper's thread draws on the same allowance as commands (mentions elsewhere are
    // commands, and counted there).
    mention: (event) =>
      handleMention({ ...deps, discussion }, core.command, event, () =>
        event.platform === "terminal" ? 0 : limiter.take(`${event.platform}:${event.userRef}`),
      ),
    threadReply: (event) => countThreadReply(deps.store, event),
  };
  return { ...withEventCounts(core, metrics), votes };
}
