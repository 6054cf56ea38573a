import { sql } from "drizzle-orm";
import type { RecapStore } from "../core/ports.js";
import type { Database } from "./client.js";
import { PAPER_COLUMNS, toListedPaper } from "./paper-row.js";
import { postNetVotesSql } from "./trending-sql.js";

export function createRecapStore(db: Database): RecapStore {
  return {
    async week(channelId, fromDate, toDate, limit) {
      // Votes as everywhere else (postNetVotesSql): each user counts once per post, up or down.
      const rows = await db.rows(sql`
        select ${sql.raw(PAPER_COLUMNS)}, pv.net::int as votes, po.reply_count as replies, pv.net::float8 as score
        from posts po
        join papers p on p.id = po.paper_id
        -- Local dates of the digests, not posting instants: the week is the channel's own week.
        join digest_runs dr on dr.id = po.digest_run_id
        cross join lateral ${postNetVotesSql()} pv
        where po.channel_id = ${channelId} and po.status = 'sent'
          and dr.local_date >= ${fromDate}::date and dr.local_date < ${toDate}::date
        order by pv.net desc, po.reply_count desc, coalesce(p.hf_upvotes, 0) desc, p.id
        limit ${limit}`);
      return rows.map(toListedPaper);
    },
  };
}
