import { type SQL, sql } from "drizzle-orm";
import type { ChangeMark, PaperChanges } from "../core/ports.js";
import type { Database } from "./client.js";
import { paperBirth } from "./trending-sql.js";

const micros = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000000)::bigint::text`);
const instant = (at: number) => sql`(timestamptz 'epoch' + ${String(at)}::bigint * interval '1 microsecond')`;

/**
 * Rows written at or after this instant may still be joined by rows of transactions running now (a
 * row's updated_at is its transaction's start, and it shows only at commit), so the feed stops short
 * of it. Read in its own statement, before the rows: a transaction that commits in between is then
 * either visible to the next statement or still counted as running here.
 */
async function horizon(db: Database): Promise<number> {
  const [row] = await db.rows<{ at: string }>(sql`
    select ${micros(`least(now(), coalesce((
      select min(xact_start) from pg_stat_activity
      where datname = current_database() and backend_type = 'client backend' and xact_start is not null), now()))`)} as at`);
  return Number(row?.at);
}

/** The change feed: papers written and ids removed since a mark, in (time, removals first, id) order. */
export async function readChanges(
  db: Database,
  mark: ChangeMark | null,
  limit: number,
): Promise<PaperChanges> {
  const until = instant(await horizon(db));
  // Each branch resumes right after the mark with an index range, never rescanning a busy instant.
  let written: SQL = sql`p.updated_at < ${until}`;
  let removed: SQL = sql`r.removed_at < ${until}`;
  if (mark) {
    const at = instant(mark.at);
    written = mark.removed
      ? sql`${written} and p.updated_at >= ${at}`
      : sql`${written} and (p.updated_at, p.id) > (${at}, ${mark.id})`;
    removed = mark.removed
      ? sql`${removed} and (r.removed_at, r.id) > (${at}, ${mark.id})`
      : sql`${removed} and r.removed_at > ${at}`;
  }
  const rows = await db.rows<{
    id: string;
    at: string;
    removed: boolean;
    title: string | null;
    abstract: string | null;
    ai_summary: string | null;
    ai_keywords: string[] | null;
    hf_upvotes: number | null;
    born_at: Date | string | null;
  }>(sql`
    select * from (
      (select p.id, ${micros("p.updated_at")} as at, false as removed, p.title, p.abstract, p.ai_summary,
         p.ai_keywords, p.hf_upvotes, ${paperBirth} as born_at
       from papers p where ${written} order by p.updated_at, p.id limit ${limit})
      union all
      (select r.id, ${micros("r.removed_at")} as at, true as removed, null, null, null, null, null, null
       from paper_removals r where ${removed} order by r.removed_at, r.id limit ${limit})
    ) c
    order by c.at::bigint, c.removed desc, c.id
    limit ${limit}`);
  const changes = rows.map((row) => ({
    id: row.id,
    paper: row.removed
      ? null
      : {
          id: row.id,
          title: row.title ?? "",
          abstract: row.abstract ?? "",
          aiSummary: row.ai_summary,
          aiKeywords: row.ai_keywords ?? [],
          hfUpvotes: row.hf_upvotes === null ? null : Number(row.hf_upvotes),
          bornAt: row.born_at instanceof Date ? row.born_at : new Date(String(row.born_at)),
        },
  }));
  const last = rows[rows.length - 1];
  return {
    changes,
    mark: last ? { at: Number(last.at), removed: Boolean(last.removed), id: last.id } : mark,
    done: rows.length < limit,
  };
}
