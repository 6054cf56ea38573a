import { type SQL, sql } from "drizzle-orm";
import { mergeRecords } from "../core/merge-records.js";
import type { Paper } from "../core/paper.js";
import { normalizeTitle, titleId } from "../core/paper-id.js";
import type {
  DigestCandidateOptions,
  PaperStore,
  Period,
  SearchQuery,
  UpsertSummary,
} from "../core/ports.js";
import type { Database, Orm } from "./client.js";
import { copyUpsert } from "./copy-upsert.js";
import { corpusWords } from "./corpus-words.js";
import { readChanges } from "./paper-changes.js";
import { MERGE_SET } from "./paper-merge.js";
import { PAPER_COLUMNS, toListedPaper } from "./paper-row.js";
import { papersById } from "./papers-by-id.js";
import { papers, searchTerms } from "./schema.js";
import { anyGroupQuery, groupQuery, pgText } from "./search-sql.js";
import { paperBirth, receptionSql, trendingScoreSql } from "./trending-sql.js";

const CHUNK = 500;
const PERIOD_DAYS: Record<Period, number | null> = { day: 1, week: 7, month: 30, all: null };

/** MERGE_SET for drizzle, with updated_at as inserted (the trigger stamps it anyway). */
const MERGE_SET_DRIZZLE = {
  ...Object.fromEntries(Object.entries(MERGE_SET).map(([key, expression]) => [key, sql.raw(expression)])),
  updatedAt: sql`excluded.updated_at`,
};

export function createPaperStore(db: Database): PaperStore {
  const listed = async (query: SQL) => (await db.rows(query)).map(toListedPaper);

  return {
    upsert(batch, seenAt): Promise<UpsertSummary> {
      return db.orm.transaction((tx) => upsertInto(tx as unknown as Orm, batch, seenAt));
    },

    bulkUpsert(batches, seenAt, progress) {
      if (db.postgres) return copyUpsert(db.postgres, batches, seenAt, progress);
      // PGlite has no COPY from a stream here; batched inserts in one transaction keep it all-or-nothing.
      return db.orm.transaction(async (tx) => {
        const total: UpsertSummary = { inserted: 0, updated: 0 };
        for await (const batch of batches) {
          const done = await upsertInto(tx as unknown as Orm, batch, seenAt);
          total.inserted += done.inserted;
          total.updated += done.updated;
          progress?.(total.inserted + total.updated);
        }
        return total;
      });
    },

    getMany: (ids, channelId) => papersById(db, ids, channelId),

    changesSince: (mark, limit) => readChanges(db, mark, limit),

    async get(id) {
      const [paper] = await listed(sql`
        select ${sql.raw(PAPER_COLUMNS)}, coalesce(r.votes, 0) as votes, coalesce(r.replies, 0) as replies, 0 as score
        from papers p left join ${receptionSql(undefined)} r on r.paper_id = p.id
        where p.id = ${id}`);
      return paper ?? null;
    },

    async count() {
      const [row] = await db.rows<{ n: number }>(sql`select count(*)::int as n from papers`);
      return Number(row?.n ?? 0);
    },

    async termStats(words) {
      const [totalRow] = await db.rows<{ n: number }>(sql`select count(*)::int as n from papers`);
      const rows = await db.rows<{ word: string; docs: number }>(
        sql`select word, docs from search_terms where word in (select jsonb_array_elements_text(${JSON.stringify(words)}::jsonb))`,
      );
      return { total: Number(totalRow?.n ?? 0), docs: new Map(rows.map((r) => [r.word, Number(r.docs)])) };
    },

    async wordsWithPrefix(prefix, limit) {
      const clean = prefix.toLowerCase().replace(/[^a-z0-9]/g, "");
      if (clean.length < 2) return [];
      const rows = await db.rows<{ word: string }>(
        sql`select word from search_terms where word like ${`${clean}%`} order by docs desc, word limit ${limit}`,
      );
      return rows.map((r) => r.word);
    },

    async similarWords(word, limit) {
      const rows = await db.rows<{ word: string }>(sql`
        select word from search_terms
        where word % ${word} and abs(length(word) - length(${word})) <= 2
        order by similarity(word, ${word}) desc, docs desc, word
        limit ${limit}`);
      return rows.map((r) => r.word);
    },

    search(query: SearchQuery) {
      return listed(searchSql(query));
    },

    top(period, now, { channelId, limit }) {
      const days = PERIOD_DAYS[period];
      const since = days === null ? undefined : new Date(now.getTime() - days * 86_400_000);
      return listed(sql`
        select ${sql.raw(PAPER_COLUMNS)}, r.votes, r.replies, r.votes::float8 as score
        from ${receptionSql(channelId, since)} r join papers p on p.id = r.paper_id
        where r.votes > 0 or (r.replies > 0 and exists (
          -- Reply counts have no time: discussion counts for the period its paper was posted in.
          select 1 from posts x where x.paper_id = p.id
            ${channelId === undefined ? sql`` : sql`and x.channel_id = ${channelId}`}
            ${since ? sql`and x.posted_at >= ${since.toISOString()}::timestamptz` : sql``}))
        order by r.votes desc, r.replies desc, coalesce(p.hf_upvotes, 0) desc, p.id
        limit ${limit}`);
    },

    trending(now, { channelId, limit, since }) {
      const from = since ?? new Date(now.getTime() - 7 * 86_400_000);
      return listed(
        rankedSql(
          now,
          channelId,
          sql`${paperBirth} >= ${from.toISOString()}::timestamptz or p.first_seen_at >= ${from.toISOString()}::timestamptz`,
          limit,
        ),
      );
    },

    digestCandidates(channelId, now, options: DigestCandidateOptions) {
      const filters: SQL[] = [
        sql`(${paperBirth} >= ${options.since.toISOString()}::timestamptz or p.first_seen_at >= ${options.since.toISOString()}::timestamptz)`,
        // Queued and failed posts of a run that gave up never went out: their papers are still news.
        sql`not exists (select 1 from posts x where x.channel_id = ${channelId} and x.paper_id = p.id
          and x.status in ('sent', 'sending'))`,
      ];
      if (options.topics && options.topics.length > 0)
        filters.push(sql`p.search @@ ${anyGroupQuery(options.topics)}`);
      if (options.minUpvotes != null) filters.push(sql`coalesce(p.hf_upvotes, 0) >= ${options.minUpvotes}`);
      const ranked = rankedSql(
        now,
        channelId,
        sql.join(filters, sql` and `),
        options.minScore != null ? 1000 : options.limit,
      );
      if (options.minScore == null) return listed(ranked);
      return listed(
        sql`select * from (${ranked}) ranked where score >= ${options.minScore} order by score desc, id limit ${options.limit}`,
      );
    },
  };
}

/** Inserts or merges papers in chunks on a transaction; counts what was new and what was merged. */
async function upsertInto(tx: Orm, batch: Paper[], seenAt: Date): Promise<UpsertSummary> {
  const merged = mergeRecords(batch);
  let inserted = 0;
  let updated = 0;
  for (let start = 0; start < merged.length; start += CHUNK) {
    const slice = merged.slice(start, start + CHUNK);
    await rekeyTitleIds(tx as never, slice);
    // Re-keying may have given two records of the batch the same id.
    const chunk = mergeRecords(slice);
    const rows = await tx
      .insert(papers)
      .values(
        chunk.map((p) => ({
          id: p.id,
          title: p.title,
          abstract: p.abstract,
          authors: p.authors,
          publishedAt: p.publishedAt,
          featuredOn: p.featuredOn,
          categories: p.categories,
          absUrl: p.absUrl,
          pdfUrl: p.pdfUrl,
          hfUrl: p.hfUrl,
          codeUrl: p.codeUrl,
          projectUrl: p.projectUrl,
          hfUpvotes: p.hfUpvotes,
          githubStars: p.githubStars,
          aiSummary: p.aiSummary,
          aiKeywords: p.aiKeywords,
          sources: p.sources,
          firstSeenAt: seenAt,
          updatedAt: seenAt,
        })),
      )
      .onConflictDoUpdate({ target: papers.id, set: MERGE_SET_DRIZZLE })
      .returning({ id: papers.id, inserted: sql<boolean>`(xmax = 0)` });
    const fresh = new Set(rows.filter((r) => r.inserted).map((r) => r.id));
    inserted += fresh.size;
    updated += rows.length - fresh.size;
    const counts = corpusWords(chunk.filter((p) => fresh.has(p.id)));
    if (counts.length > 0) {
      await tx
        .insert(searchTerms)
        .values(counts.map(([word, docs]) => ({ word, docs })))
        .onConflictDoUpdate({
          target: searchTerms.word,
          set: { docs: sql`"search_terms".docs + excluded.docs` },
        });
    }
  }
  return { inserted, updated };
}

function rankedSql(now: Date, channelId: number | undefined, where: SQL, limit: number): SQL {
  const votes = sql`coalesce(r.votes, 0)`;
  const replies = sql`coalesce(r.replies, 0)`;
  return sql`
    select ${sql.raw(PAPER_COLUMNS)}, ${votes} as votes, ${replies} as replies, ${trendingScoreSql(now, votes, replies)} as score
    from papers p left join ${receptionSql(channelId)} r on r.paper_id = p.id
    where ${where}
    order by score desc, p.id
    limit ${limit}`;
}

/**
 * Relevance: weighted coverage of the query's groups (a group matched in the title counts more),
 * cover density of the whole query, a phrase bonus, and a light boost for upvotes, votes and recency
 * that can reorder near-ties but never lift a weaker text match over a clearly better one.
 */
function searchSql(query: SearchQuery): SQL {
  const total = query.groups.reduce((sum, g) => sum + g.weight, 0) || 1;
  const coverage = sql.join(
    query.groups.map(
      (g) => sql`(case when p.search @@ ${groupQuery(g)} then ${g.weight}::float8 else 0 end)`,
    ),
    sql` + `,
  );
  const titleCoverage = sql.join(
    query.groups.map(
      (g) =>
        sql`(case when ts_filter(p.search, '{a}') @@ ${groupQuery(g)} then ${g.weight}::float8 else 0 end)`,
    ),
    sql` + `,
  );
  const phrase = query.text.includes(" ")
    ? sql`(case when p.search @@ phraseto_tsquery('english', ${pgText(query.text)}) then 1.0 else 0 end)`
    : sql`0`;
  return sql`
    select ${sql.raw(PAPER_COLUMNS)}, coalesce(r.votes, 0) as votes, coalesce(r.replies, 0) as replies,
      (3.0 * (${coverage}) / ${total}
       + 1.5 * (${titleCoverage}) / ${total}
       + 0.5 * ${phrase}
       + least(ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', p.search, ${anyGroupQuery(query.groups)}), 1.0) * 0.5
       + 0.04 * ln(1 + greatest(coalesce(p.hf_upvotes, 0), 0)) / ln(1000)
       + 0.04 * ln(1 + greatest(coalesce(r.votes, 0), 0)) / ln(50)
       + 0.04 * exp(-greatest(extract(epoch from (now() - ${paperBirth})), 0) / (86400.0 * 90))
      )::float8 as score
    from papers p left join ${receptionSql(query.channelId)} r on r.paper_id = p.id
    where p.search @@ ${anyGroupQuery(query.groups)}
    order by score desc, p.id
    limit ${query.limit}`;
}

/** Re-keys rows known by a title id to the arXiv id a source now gives, and points title-id papers at existing rows. */
async function rekeyTitleIds(tx: { execute(query: SQL): Promise<unknown> }, chunk: Paper[]): Promise<void> {
  const pairs = chunk
    .filter((p) => !p.id.startsWith("t:"))
    .map((p) => ({ from: titleId(p.title), to: p.id }));
  if (pairs.length > 0) {
    await tx.execute(sql`
      update papers p set id = m.to_id
      from (select e->>'from' as from_id, e->>'to' as to_id from jsonb_array_elements(${JSON.stringify(pairs)}::jsonb) e) m
      where p.id = m.from_id and not exists (select 1 from papers q where q.id = m.to_id)`);
  }
  const byTitle = chunk.filter((p) => p.id.startsWith("t:"));
  if (byTitle.length === 0) return;
  // Candidates by trigram similarity (the title index answers it), so a copy whose punctuation
  // differs ("A - B" for "A: B") is found too; the normalized titles below decide.
  const result = await tx.execute(sql`
    select m.id, m.title from jsonb_array_elements_text(${JSON.stringify(byTitle.map((p) => p.title.toLowerCase()))}::jsonb) c(title)
    cross join lateral (
      select id, title from papers
      where lower(title) % c.title and id not like 't:%'
      order by similarity(lower(title), c.title) desc, id
      limit 3) m`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
    id: string;
    title: string;
  }[];
  const known = new Map(rows.map((r) => [normalizeTitle(r.title), r.id]));
  for (const paper of byTitle) {
    const id = known.get(normalizeTitle(paper.title));
    if (id) paper.id = id;
  }
}
