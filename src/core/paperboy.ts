import type { CommandContext, CommandDeps } from "./commands/command.js";
import { parseCommand } from "./commands/parse-command.js";
import type { DiscussionDeps } from "./discussion/answer-question.js";
import { handleMention, type MentionEvent } from "./discussion/mention.js";
import {
  countThreadReply,
  type ThreadReplyEvent,
  type ThreadReplyOutcome,
} from "./discussion/thread-reply.js";
import { errorReply, type Reply } from "./reply.js";
import type { VoteAction } from "./votes/emoji-actions.js";
import { type ReactionEvent, type ReactionOutcome, recordReaction } from "./votes/record-reaction.js";

export interface PaperboyDeps extends CommandDeps {
  emojiActions: Map<string, VoteAction>;
  /** Full texts and a language model for questions in threads; without it, abstracts and quotes only. */
  discussion?: DiscussionDeps;
}

/** The core as platform adapters see it: commands in, replies out; reactions in, votes stored. */
export interface Paperboy {
  command(context: CommandContext, text: string): Promise<Reply>;
  reaction(event: ReactionEvent): Promise<ReactionOutcome>;
  /** The bot was mentioned: a question about the paper of the thread, else like `/papers <text>`. */
  mention(event: MentionEvent): Promise<Reply>;
  /** A message in a thread: counted when the thread is a paper's (the discussion signal). */
  threadReply(event: ThreadReplyEvent): Promise<ThreadReplyOutcome>;
  readonly deps: PaperboyDeps;
}

export function createPaperboy(deps: PaperboyDeps): Paperboy {
  const discussion = deps.discussion ?? { fullText: null, llm: null };
  const core: Paperboy = {
    deps,
    async command(context, text) {
      const parsed = parseCommand(text);
      if (!parsed.ok) return errorReply(parsed.error, [`Usage: ${parsed.command.usage}`]);
      try {
        return await parsed.command.run(deps, context, parsed.args);
      } catch (error) {
        deps.logger.error({ err: (error as Error).message, command: parsed.command.name }, "command failed");
        return errorReply("Sorry, that didn't work. Try again in a moment.", [
          "If it keeps failing, an admin can check the bot's logs (npx paperboy doctor).",
        ]);
      }
    },
    reaction: (event) => recordReaction(deps, event),
    mention: (event) => handleMention({ ...deps, discussion }, core.command, event),
    threadReply: (event) => countThreadReply(deps.store, event),
  };
  return core;
}
