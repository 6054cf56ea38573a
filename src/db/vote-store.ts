import { sql } from "drizzle-orm";
import type { VoteStore } from "../core/ports.js";
import type { Database } from "./client.js";
import { PAPER_COLUMNS, toListedPaper } from "./paper-row.js";

export function createVoteStore(db: Database): VoteStore {
  return {
    async apply(change) {
      const eventAt = change.eventAt.toISOString();
      if (change.action === "save") {
        // Newer events always move the clock forward (so a late, older event can't undo a newer one);
        // "changed" is whether the saved state flipped. The same event delivered again changes nothing.
        const [row] = await db.rows<{ changed: boolean }>(sql`
          with prev as (
            select active from saved_papers
            where platform = ${change.platform} and user_ref = ${change.userRef} and paper_id = ${change.paperId}
          ), applied as (
            insert into saved_papers (platform, user_ref, paper_id, post_id, active, event_at)
            values (${change.platform}, ${change.userRef}, ${change.paperId}, ${change.postId}, ${change.added}, ${eventAt}::timestamptz)
            on conflict (platform, user_ref, paper_id) do update
              set active = excluded.active, event_at = excluded.event_at, post_id = excluded.post_id,
                  saved_at = case when excluded.active and not saved_papers.active then now() else saved_papers.saved_at end
              where saved_papers.event_at < excluded.event_at
            returning active
          )
          select exists (select 1 from applied)
            and (select active from applied) is distinct from coalesce((select active from prev), false) as changed`);
        return Boolean(row?.changed);
      }
      const value = change.action === "up" ? 1 : -1;
      const [row] = await db.rows<{ changed: boolean }>(sql`
        with prev as (
          select active from votes where post_id = ${change.postId} and user_ref = ${change.userRef} and emoji = ${change.emoji}
        ), applied as (
          insert into votes (post_id, user_ref, emoji, value, active, event_at)
          values (${change.postId}, ${change.userRef}, ${change.emoji}, ${value}, ${change.added}, ${eventAt}::timestamptz)
          on conflict (post_id, user_ref, emoji) do update
            set active = excluded.active, event_at = excluded.event_at, value = excluded.value, updated_at = now()
            where votes.event_at < excluded.event_at
          returning active
        )
        select exists (select 1 from applied)
          and (select active from applied) is distinct from coalesce((select active from prev), false) as changed`);
      return Boolean(row?.changed);
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
