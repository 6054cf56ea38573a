import { sql } from "drizzle-orm";
import type { ListedPaper } from "../core/ports.js";
import type { Database } from "./client.js";
import { PAPER_COLUMNS, toListedPaper } from "./paper-row.js";

/**
 * Papers by id with votes and replies, read per paper through the posts index: the search's
 * candidates are a hundred papers out of a million, and the reception of all papers is not needed.
 * Votes follow receptionSql's rule: each user counts once per post, +1 up, -1 down, 0 both.
 */
export async function papersById(db: Database, ids: string[], channelId?: number): Promise<ListedPaper[]> {
  if (ids.length === 0) return [];
  const channel = channelId === undefined ? sql`` : sql` and po.channel_id = ${channelId}`;
  const rows = await db.rows(sql`
    select ${sql.raw(PAPER_COLUMNS)}, r.votes, r.replies, 0 as score
    from papers p
    cross join lateral (
      select coalesce(sum(pv.net), 0)::int as votes, coalesce(sum(po.reply_count), 0)::int as replies
      from posts po
      cross join lateral (
        select coalesce(sum(uv.vote), 0) as net from (
          select (bool_or(v.active and v.value > 0))::int - (bool_or(v.active and v.value < 0))::int as vote
          from votes v where v.post_id = po.id group by v.user_ref
        ) uv
      ) pv
      where po.paper_id = p.id${channel}
    ) r
    where p.id = any(array(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)))`);
  return rows.map(toListedPaper);
}
