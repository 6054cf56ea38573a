/**
 * The trending score, documented here once and computed in SQL by the store with these same weights
 * (a test checks that both agree).
 *
 *   points = hfUpvotes + VOTE_WEIGHT * netChannelVotes + REPLY_WEIGHT * threadReplies + STAR_WEIGHT * sqrt(githubStars)
 *   score  = (1 + max(points, 0)) / (ageHours + 2) ^ GRAVITY
 *
 * A paper's age counts from the day it was featured on Hugging Face, else its publication, else when
 * paperboy first saw it. The +1 lets brand-new papers with no signal yet order by freshness; gravity
 * makes yesterday's 100 upvotes weigh about as much as this morning's 30.
 */
export const TRENDING = {
  VOTE_WEIGHT: 5,
  REPLY_WEIGHT: 2,
  STAR_WEIGHT: 0.5,
  GRAVITY: 1.2,
} as const;

export interface TrendingInputs {
  hfUpvotes: number | null;
  githubStars: number | null;
  votes: number;
  replies: number;
  ageHours: number;
}

export function trendingScore(input: TrendingInputs): number {
  const points =
    (input.hfUpvotes ?? 0) +
    TRENDING.VOTE_WEIGHT * input.votes +
    TRENDING.REPLY_WEIGHT * input.replies +
    TRENDING.STAR_WEIGHT * Math.sqrt(Math.max(input.githubStars ?? 0, 0));
  return (1 + Math.max(points, 0)) / (Math.max(input.ageHours, 0) + 2) ** TRENDING.GRAVITY;
}
