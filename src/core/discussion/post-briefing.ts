import type { Channel } from "../channel.js";
import type { DigestPoster } from "../chat-platform.js";
import type { Logger, PostRecord, Store } from "../ports.js";
import { buildBriefing } from "./briefing.js";
import { briefingReply } from "./briefing-reply.js";
import { relatedPapers } from "./related-papers.js";

export interface BriefingDeps {
  store: Store;
  poster: DigestPoster;
  logger: Logger;
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
  threadRef: string,
): Promise<void> {
  const postThreadReply = deps.poster.postThreadReply?.bind(deps.poster);
  if (!channel.threads || !postThreadReply) return;
  try {
    const paper = await deps.store.papers.get(post.paperId);
    if (!paper) return;
    const briefing = buildBriefing(paper, await relatedPapers(deps.store.papers, paper));
    const thread = await postThreadReply(channel, threadRef, briefingReply(briefing));
    if (thread && thread !== threadRef) await deps.store.posts.setThread(post.id, thread);
  } catch (error) {
    deps.logger.warn(
      { channel: channel.channelRef, paper: post.paperId, err: (error as Error).message },
      "briefing not posted",
    );
  }
}
