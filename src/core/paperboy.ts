import type { CommandContext, CommandDeps } from "./commands/command.js";
import { parseCommand } from "./commands/parse-command.js";
import { createRateLimiter, rateLimitedReply } from "./commands/rate-limit.js";
import { DatabaseUnavailableError } from "./database-unavailable.js";
import type { DiscussionDeps } from "./discussion/answer-question.js";
import { handleMention, type MentionEvent } from "./discussion/mention.js";
import {
  countThreadReply,
  type ThreadReplyEvent,
  type ThreadReplyOutcome,
} from "./discussion/thread-reply.js";
import { type CommandOutcome, type Metrics, noMetrics, secondsSince } from "./metrics.js";
import type { MessageReaction, MessageReactionResult } from "./ports.js";
import { errorReply, type Reply, unavailableReply } from "./reply.js";
import type { VoteAction } from "./votes/emoji-actions.js";
import { type ReactionEvent, recordReaction } from "./votes/record-reaction.js";
import { VoteBuffer, type VoteOutcome } from "./votes/vote-buffer.js";
import { WriteBatcher } from "./votes/write-batcher.js";

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
  reaction(event: ReactionEvent): Promise<VoteOutcome>;
  /** Votes held while the database is unavailable; the bot flushes them when it stops. */
  readonly votes: VoteBuffer;
  /**
   * The bot was mentioned: a question about the paper of the thread, else like `/papers <text>`.
   * Null when the event was handled before (the platform delivered it again): post nothing.
   */
  mention(event: MentionEvent): Promise<Reply | null>;
  /** A message in a thread: counted when the thread is a paper's (the discussion signal). */
  threadReply(event: ThreadReplyEvent): Promise<ThreadReplyOutcome>;
  readonly deps: PaperboyDeps;
}

export function createPaperboy(deps: PaperboyDeps): Paperboy {
  const answerDeps = { ...deps, discussion: deps.discussion ?? { fullText: null, llm: null } };
  const metrics = deps.metrics ?? noMetrics;
  const writer = new WriteBatcher<MessageReaction, MessageReactionResult>({
    write: (reactions) => deps.store.votes.react(reactions),
    key: (r) => JSON.stringify([r.platform, r.channelRef, r.messageRef, r.userRef, r.emoji]),
    // The database being away is for the vote buffer to wait out; anything else may be one bad vote.
    retryAlone: (error) => !(error instanceof DatabaseUnavailableError),
  });
  const write = (reaction: MessageReaction) => writer.submit(reaction);
  const votes = new VoteBuffer({
    record: (event) => recordReaction({ ...deps, write }, event),
    logger: deps.logger,
  });
  votes.onDrop((count) => metrics.votesDropped(count));
  const limiter = createRateLimiter(deps.clock);
  // The terminal is one person at their own keyboard (or a script they piped in): never slowed.
  const wait = (platform: string, userRef: string) =>
    platform === "terminal" ? 0 : limiter.take(`${platform}:${userRef}`);
  async function runCommand(context: CommandContext, text: string): Promise<Reply> {
    const seconds = wait(context.address.platform, context.userRef);
    if (seconds > 0) return rateLimitedReply(seconds);
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
        return timed("failed", unavailableReply());
      }
      deps.logger.error({ err: (error as Error).message, command: parsed.command.name }, "command failed");
      return timed(
        "failed",
        errorReply("Sorry, that didn't work. Try again in a moment.", [
          "If it keeps failing, an admin can check the bot's logs (npx paperboy doctor).",
        ]),
      );
    }
  }
  // Each event is counted once, where it comes in: a mention answered like a command counts as a
  // mention, not also as a command (it calls runCommand, not command).
  return {
    deps,
    votes,
    command(context, text) {
      metrics.eventReceived(context.address.platform, "command");
      return runCommand(context, text);
    },
    async reaction(event) {
      metrics.eventReceived(event.platform, "reaction");
      try {
        const outcome = await votes.reaction(event);
        metrics.voteRecorded(outcome);
        return outcome;
      } catch (error) {
        metrics.voteRecorded("failed");
        throw error;
      }
    },
    // A question in a paper's thread draws on the same allowance as commands.
    mention(event) {
      metrics.eventReceived(event.platform, "mention");
      return handleMention(answerDeps, runCommand, event, () => wait(event.platform, event.userRef));
    },
    threadReply(event) {
      metrics.eventReceived(event.platform, "thread_reply");
      return countThreadReply(deps, event);
    },
  };
}
