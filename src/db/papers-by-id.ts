import { sql } from "drizzle-orm";
import type { ListedPaper } from "../core/ports.js";
import type { Database } from "./client.js";
import { PAPER_COLUMNS, toListedPaper } from "./paper-row.js";
import { postNetVotesSql } from "./trending-sql.js";

/**
 * Papers by id with votes and replies, read per paper through the posts index: the search's
 * candidates are a hundred papers out of a million, and the reception of all papers is not needed.
 * Votes follow receptionSql's rule (postNetVotesSql).
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
      cross join lateral ${postNetVotesSql()} pv
      where po.paper_id = p.id${channel}
    ) r
    where p.id = any(array(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)))`);
  return rows.map(toListedPaper);
}
