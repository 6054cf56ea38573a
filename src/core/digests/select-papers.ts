import type { Channel } from "../channel.js";
import type { ListedPaper, PaperStore } from "../ports.js";
import { analyzeQuery } from "../search/analyze-query.js";

/** How far back a digest looks: three days, so Monday's digest covers the weekend. */
export const DIGEST_WINDOW_DAYS = 3;

/**
 * The papers a channel's digest would post now: recent, never sent to this channel, matching its
 * topics and thresholds, by trending score. A later ranking (say, from the channel's own votes) can
 * replace this function without touching the runner.
 */
export type SelectPapers = (store: PaperStore, channel: Channel, now: Date) => Promise<ListedPaper[]>;

export const selectDigestPapers: SelectPapers = (store, channel, now) => {
  const topics = channel.topics.flatMap((topic) =>
    analyzeQuery(topic).concepts.map((c) => ({ alternatives: c.alternatives, weight: 1 })),
  );
  return store.digestCandidates(channel.id, now, {
    since: new Date(now.getTime() - DIGEST_WINDOW_DAYS * 86_400_000),
    limit: channel.paperCount,
    topics,
    minUpvotes: channel.minUpvotes,
    minScore: channel.minScore,
  });
};
