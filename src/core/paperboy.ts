import type { CommandContext, CommandDeps } from "./commands/command.js";
import { parseCommand } from "./commands/parse-command.js";
import { errorReply, type Reply } from "./reply.js";
import type { VoteAction } from "./votes/emoji-actions.js";
import { type ReactionEvent, type ReactionOutcome, recordReaction } from "./votes/record-reaction.js";

export interface PaperboyDeps extends CommandDeps {
  emojiActions: Map<string, VoteAction>;
}

/** The core as platform adapters see it: commands in, replies out; reactions in, votes stored. */
export interface Paperboy {
  command(context: CommandContext, text: string): Promise<Reply>;
  reaction(event: ReactionEvent): Promise<ReactionOutcome>;
  readonly deps: PaperboyDeps;
}

export function createPaperboy(deps: PaperboyDeps): Paperboy {
  return {
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
  };
}
