import { type SQL, sql } from "drizzle-orm";
import { TRENDING } from "../core/trending.js";

/** When a paper counts from: the day HF featured it, else its publication, else first sight. */
export const paperBirth = sql.raw(
  `coalesce((p.featured_on::timestamp at time zone 'UTC'), p.published_at, p.first_seen_at)`,
);

/**
 * `core/trending.ts`'s score in SQL, over a paper row `p` and its votes and replies.
 * The weights come from the core so that the two cannot drift apart.
 */
export function trendingScoreSql(now: Date, votes: SQL, replies: SQL): SQL {
  const w = (value: number) => sql.raw(String(value));
  const points = sql`(coalesce(p.hf_upvotes, 0) + ${w(TRENDING.VOTE_WEIGHT)} * ${votes} + ${w(TRENDING.REPLY_WEIGHT)} * ${replies} + ${w(TRENDING.STAR_WEIGHT)} * sqrt(greatest(coalesce(p.github_stars, 0), 0)))`;
  const ageHours = sql`greatest(extract(epoch from (${now.toISOString()}::timestamptz - ${paperBirth})) / 3600.0, 0)`;
  return sql`((1 + greatest(${points}, 0)) / power(${ageHours} + 2, ${sql.raw(String(TRENDING.GRAVITY))}))::float8`;
}

/**
 * Net votes and replies per paper, in one channel or all: each user counts once per post, +1 if they
 * only voted up, -1 if only down, 0 if both.
 */
export function receptionSql(channelId: number | undefined, since?: Date): SQL {
  const channelFilter = channelId === undefined ? sql`` : sql` and po.channel_id = ${channelId}`;
  const sinceFilter = since ? sql` and v.event_at >= ${since.toISOString()}::timestamptz` : sql``;
  return sql`(
    select po.paper_id,
      coalesce(sum(pv.net), 0)::int as votes,
      coalesce(sum(po.reply_count), 0)::int as replies
    from posts po
    cross join lateral ${postNetVotesSql(sinceFilter)} pv
    where true${channelFilter}
    group by po.paper_id
  )`;
}

/**
 * The net votes (`net`) of the post `po`, for a lateral join: each user counts once, +1 if they only
 * voted up, -1 if only down, 0 if both. `filter` narrows the votes counted (" and v.…").
 */
export function postNetVotesSql(filter: SQL = sql``): SQL {
  return sql`(
      select coalesce(sum(uv.vote), 0) as net from (
        select (bool_or(v.active and v.value > 0))::int - (bool_or(v.active and v.value < 0))::int as vote
        from votes v where v.post_id = po.id${filter}
        group by v.user_ref
      ) uv
    )`;
}
