import { sql } from "drizzle-orm";
import type { VoteStore } from "../core/ports.js";
import type { Database } from "./client.js";
import { PAPER_COLUMNS, toListedPaper } from "./paper-row.js";

/** How a reaction is stored: a vote's value, or 0 for a bookmark (saved_papers). */
const VALUE = { up: 1, down: -1, save: 0 } as const;

// Newer events always move the clock forward (so a late, older event can't undo a newer one), and
// the same event delivered again changes nothing: one rule for a single reaction and for a batch.
const VOTE_UPSERT = `on conflict (post_id, user_ref, emoji) do update
  set active = excluded.active, event_at = excluded.event_at, value = excluded.value, updated_at = now()
  where votes.event_at < excluded.event_at`;
const SAVE_UPSERT = `on conflict (platform, user_ref, paper_id) do update
  set active = excluded.active, event_at = excluded.event_at, post_id = excluded.post_id,
      saved_at = case when excluded.active and not saved_papers.active then now() else saved_papers.saved_at end
  where saved_papers.event_at < excluded.event_at`;

export function createVoteStore(db: Database): VoteStore {
  return {
    async apply(change) {
      const eventAt = change.eventAt.toISOString();
      if (change.action === "save") {
        // "changed" is whether the saved state flipped.
        const [row] = await db.rows<{ changed: boolean }>(sql`
          with prev as (
            select active from saved_papers
            where platform = ${change.platform} and user_ref = ${change.userRef} and paper_id = ${change.paperId}
          ), applied as (
            insert into saved_papers (platform, user_ref, paper_id, post_id, active, event_at)
            values (${change.platform}, ${change.userRef}, ${change.paperId}, ${change.postId}, ${change.added}, ${eventAt}::timestamptz)
            ${sql.raw(SAVE_UPSERT)}
            returning active
          )
          select exists (select 1 from applied)
            and (select active from applied) is distinct from coalesce((select active from prev), false) as changed`);
        return Boolean(row?.changed);
      }
      const value = VALUE[change.action];
      const [row] = await db.rows<{ changed: boolean }>(sql`
        with prev as (
          select active from votes where post_id = ${change.postId} and user_ref = ${change.userRef} and emoji = ${change.emoji}
        ), applied as (
          insert into votes (post_id, user_ref, emoji, value, active, event_at)
          values (${change.postId}, ${change.userRef}, ${change.emoji}, ${value}, ${change.added}, ${eventAt}::timestamptz)
          ${sql.raw(VOTE_UPSERT)}
          returning active
        )
        select exists (select 1 from applied)
          and (select active from applied) is distinct from coalesce((select active from prev), false) as changed`);
      return Boolean(row?.changed);
    },

    async react(reactions) {
      if (reactions.length === 0) return [];
      const input = JSON.stringify(
        reactions.map((r, ord) => ({
          ord,
          platform: r.platform,
          channel_ref: r.channelRef,
          message_ref: r.messageRef,
          user_ref: r.userRef,
          emoji: r.emoji,
          value: VALUE[r.action],
          active: r.added,
          event_at: r.eventAt.toISOString(),
        })),
      );
      // One round trip for the lot: find each reaction's post, apply votes and bookmarks as \`apply\`
      // does (newer event wins), and say per reaction whether its state flipped. Every part of the
      // statement reads the table as it was before, so prev_* hold the old states.
      const rows = await db.rows<{ found: boolean; changed: boolean }>(sql`
        with input as (
          select * from jsonb_to_recordset(${input}::jsonb) as i(
            ord int, platform text, channel_ref text, message_ref text, user_ref text, emoji text,
            value int, active boolean, event_at timestamptz)
        ), target as (
          select i.*, p.id as post_id, p.paper_id
          from input i
          join channels c on c.platform = i.platform and c.channel_ref = i.channel_ref
          join posts p on p.channel_id = c.id and p.message_ref = i.message_ref
        ), prev_votes as (
          select t.ord, v.active from target t
          join votes v on v.post_id = t.post_id and v.user_ref = t.user_ref and v.emoji = t.emoji
          where t.value <> 0
        ), prev_saves as (
          select t.ord, s.active from target t
          join saved_papers s on s.platform = t.platform and s.user_ref = t.user_ref and s.paper_id = t.paper_id
          where t.value = 0
        ), voted as (
          insert into votes (post_id, user_ref, emoji, value, active, event_at)
          select post_id, user_ref, emoji, value, active, event_at from target where value <> 0
          ${sql.raw(VOTE_UPSERT)}
          returning post_id, user_ref, emoji, active
        ), saved as (
          insert into saved_papers (platform, user_ref, paper_id, post_id, active, event_at)
          select platform, user_ref, paper_id, post_id, active, event_at from target where value = 0
          ${sql.raw(SAVE_UPSERT)}
          returning platform, user_ref, paper_id, active
        )
        select t.ord is not null as found,
          coalesce(v.active, s.active) is not null
            and coalesce(v.active, s.active) is distinct from coalesce(pv.active, ps.active, false) as changed
        from input i
        left join target t on t.ord = i.ord
        left join voted v on t.value <> 0 and v.post_id = t.post_id and v.user_ref = t.user_ref and v.emoji = t.emoji
        left join saved s on t.value = 0 and s.platform = t.platform and s.user_ref = t.user_ref and s.paper_id = t.paper_id
        left join prev_votes pv on pv.ord = i.ord
        left join prev_saves ps on ps.ord = i.ord
        order by i.ord`);
      return rows.map((row) => (!row.found ? "not-a-paper-post" : row.changed ? "recorded" : "unchanged"));
    },

    async netVotes(postId) {
      const [row] = await db.rows<{ net: number }>(sql`
        select coalesce(sum(vote), 0)::int as net from (
          select (bool_or(active and value > 0))::int - (bool_or(active and value < 0))::int as vote
          from votes where post_id = ${postId} group by user_ref
        ) uv`);
      return Number(row?.net ?? 0);
    },

    async saved(platform, userRef, limit) {
      const rows = await db.rows(sql`
        select ${sql.raw(PAPER_COLUMNS)}, 0 as votes, 0 as replies, 0 as score
        from saved_papers s join papers p on p.id = s.paper_id
        where s.platform = ${platform} and s.user_ref = ${userRef} and s.active
        order by s.saved_at desc, p.id
        limit ${limit}`);
      return rows.map(toListedPaper);
    },
  };
}
