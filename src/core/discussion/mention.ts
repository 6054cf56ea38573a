import type { CommandContext } from "../commands/command.js";
import { rateLimitedReply } from "../commands/rate-limit.js";
import { DatabaseUnavailableError } from "../database-unavailable.js";
import { firstDelivery } from "../first-delivery.js";
import type { Reply } from "../reply.js";
import { errorReply, unavailableReply } from "../reply.js";
import { type AnswerDeps, answerQuestion } from "./answer-question.js";

/** The bot was mentioned: in a paper's thread (a question about it) or anywhere else. */
export interface MentionEvent {
  platform: string;
  channelRef: string;
  /** The thread the mention is in (Slack thread_ts, Discord thread id); null outside threads. */
  threadRef: string | null;
  userRef: string;
  /** As the platform delivered it, mention markup included. */
  text: string;
  workspaceId?: string;
  /** The platform's id of this event (Slack event_id, Discord message id): a redelivery is ignored. */
  eventId?: string;
}

const MAX_QUESTION = 1000;

/** The question without the bot's mention (`<@U123>`, `<@!123>`, `@paperboy`) or control characters. */
export function mentionText(text: string): string {
  return text
    .slice(0, MAX_QUESTION)
    .replace(/<@[!&]?[\w]+>/g, " ")
    .replace(/^\s*@paperboy\b[:,]?/i, " ")
    .replace(/[\p{Cc}\p{Cf}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * A mention in a paper's thread asks about that paper; anywhere else it is answered like
 * `/papers <text>` (a search, or any other command a non-admin may run). Null: this event was
 * already handled (delivered again), nothing to say.
 */
export async function handleMention(
  deps: AnswerDeps,
  command: (context: CommandContext, text: string) => Promise<Reply>,
  event: MentionEvent,
  /** Seconds this user must wait before another question (0: go ahead); questions may cost a model call. */
  wait: () => number = () => 0,
): Promise<Reply | null> {
  try {
    if (!(await firstDelivery(deps, event.platform, event.eventId, "mention"))) return null;
  } catch (error) {
    if (!(error instanceof DatabaseUnavailableError)) throw error;
    // Answering without a claim could answer a redelivery twice; the asker is told to ask again.
    deps.logger.warn({ err: error.message, platform: event.platform }, "mention not answered");
    return unavailableReply();
  }
  const text = mentionText(event.text);
  if (event.threadRef) {
    const channelId = await deps.store.channels.idOf(event.platform, event.channelRef);
    const post = channelId !== null ? await deps.store.posts.byThread(channelId, event.threadRef) : null;
    const paper = post ? await deps.store.papers.get(post.paperId) : null;
    if (paper) {
      const seconds = wait();
      if (seconds > 0) return rateLimitedReply(seconds);
      try {
        return await answerQuestion(deps, paper, text);
      } catch (error) {
        deps.logger.error({ err: (error as Error).message, paper: paper.id }, "question not answered");
        return errorReply("Sorry, I couldn't answer that just now. Try again in a moment.");
      }
    }
  }
  const reply = await command(
    {
      address: {
        platform: event.platform,
        workspaceId: event.workspaceId ?? "",
        channelRef: event.channelRef,
      },
      userRef: event.userRef,
      isAdmin: false,
    },
    text,
  );
  // Asked in the open, answered in the open.
  return { ...reply, visibility: "channel" };
}
