import type { Channel } from "../channel.js";
import type { DigestPoster } from "../chat-platform.js";
import type { ListedPaper, Logger, PostRecord, Store } from "../ports.js";
import type { LiveSearchIndex } from "../search/live-search-index.js";
import { relatedPapers } from "../search/related-papers.js";
import { buildBriefing } from "./briefing.js";
import { briefingReply } from "./briefing-reply.js";

export interface BriefingDeps {
  store: Store;
  poster: DigestPoster;
  logger: Logger;
  /** The process's search index, when it keeps one: related papers by the paper's distinctive terms. */
  searchIndex?: LiveSearchIndex | undefined;
}

/**
 * Posts a paper's briefing in its thread, when the channel wants threads and the platform can post
 * there. Never throws: the paper itself went out, and a missing briefing must not make the digest
 * retry (and so repeat) anything.
 */
export async function postBriefing(
  deps: BriefingDeps,
  channel: Channel,
  post: Pick<PostRecord, "id" | "paperId">,
  paper: ListedPaper,
  threadRef: string,
): Promise<void> {
  const postThreadReply = deps.poster.postThreadReply?.bind(deps.poster);
  if (!channel.threads || !postThreadReply) return;
  try {
    const briefing = buildBriefing(
      paper,
      await relatedPapers(deps.store.papers, paper, {
        limit: 3,
        channelId: channel.id,
        index: deps.searchIndex,
      }),
    );
    const thread = await postThreadReply(channel, threadRef, briefingReply(briefing));
    if (thread && thread !== threadRef) await deps.store.posts.setThread(post.id, thread);
  } catch (error) {
    deps.logger.warn(
      { channel: channel.channelRef, paper: post.paperId, err: (error as Error).message },
      "briefing not posted",
    );
  }
}
