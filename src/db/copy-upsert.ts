import type postgres from "postgres";
import { type MergedPaper, mergeRecords } from "../core/merge-records.js";
import type { Paper } from "../core/paper.js";
import { titleId } from "../core/paper-id.js";
import type { UpsertSummary } from "../core/ports.js";
import { corpusWords } from "./corpus-words.js";
import { MERGE_SET_SQL } from "./paper-merge.js";

const STAGE_COLUMNS = `ord, id, title_id, title, abstract, authors, published_at, featured_on, categories, abs_url,
  pdf_url, hf_url, code_url, project_url, hf_upvotes, github_stars, ai_summary, ai_keywords, sources`;

// The merge of PaperStore.upsert (MERGE_SET), from the staging table.
const MERGE = `
  insert into papers (id, title, abstract, authors, published_at, featured_on, categories, abs_url, pdf_url,
    hf_url, code_url, project_url, hf_upvotes, github_stars, ai_summary, ai_keywords, sources, first_seen_at)
  select distinct on (id) id, title, abstract, authors, published_at, featured_on, categories, abs_url, pdf_url,
    hf_url, code_url, project_url, hf_upvotes, github_stars, ai_summary, ai_keywords, sources, $1::timestamptz
  from paper_stage order by id, ord desc
  on conflict (id) do update set
    ${MERGE_SET_SQL}
  returning id, (xmax = 0) as inserted`;

// A paper known by its title id takes the arXiv id a new record gives it (as rekeyTitleIds does)...
const REKEY = `
  update papers p set id = s.id from paper_stage s
  where s.title_id is not null and p.id = s.title_id and not exists (select 1 from papers q where q.id = s.id)`;
// ...and a record with only a title id joins the paper already stored under an arXiv id.
const JOIN_BY_TITLE = `
  update paper_stage s set id = p.id from papers p
  where s.id like 't:%' and lower(p.title) = lower(s.title) and p.id not like 't:%'`;

/** COPY's text format: backslash, tab and line breaks escaped, \N for null. */
const field = (value: string | null): string =>
  value === null
    ? "\\N"
    : value.replace(/[\\\t\n\r]/g, (c) =>
        c === "\t" ? "\\t" : c === "\n" ? "\\n" : c === "\r" ? "\\r" : "\\\\",
      );
const arrayField = (values: string[]): string =>
  field(`{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(",")}}`);
const num = (value: number | null) =>
  value === null || !Number.isFinite(value) ? "\\N" : String(Math.trunc(value));

function stageLine(paper: MergedPaper, ord: number, withTitleIds: boolean): string {
  return `${[
    String(ord),
    field(paper.id),
    field(!withTitleIds || paper.id.startsWith("t:") ? null : titleId(paper.title)),
    field(paper.title),
    field(paper.abstract),
    arrayField(paper.authors),
    field(paper.publishedAt ? paper.publishedAt.toISOString() : null),
    field(paper.featuredOn),
    arrayField(paper.categories),
    field(paper.absUrl),
    field(paper.pdfUrl),
    field(paper.hfUrl),
    field(paper.codeUrl),
    field(paper.projectUrl),
    num(paper.hfUpvotes),
    num(paper.githubStars),
    field(paper.aiSummary),
    arrayField(paper.aiKeywords),
    arrayField(paper.sources),
  ].join("\t")}\n`;
}

/** Batches merged at once, each in its own transaction on its own connection (and server process). */
const PARALLEL = 2;

interface StagedBatch {
  batch: MergedPaper[];
  hasTitleIds: boolean;
  /** Re-key stored title-id papers to the arXiv ids this batch brings. */
  rekey: boolean;
  text: string;
  /** The batch's search words, were all its papers new. */
  words: [string, number][];
}

/**
 * The server's bulk path. Each batch is COPYed into a temporary staging table and merged into papers
 * with one INSERT … ON CONFLICT, then its new papers' words are counted, in a transaction of its own;
 * two batches are merged at once, on two connections, because the index upkeep of the merge keeps one
 * server process busy (bench/search.ts, 1,000,000 papers: 1.25× and 1.42× the rate of psql's \copy in
 * two runs; one connection measured 0.71×). A failure leaves the batches before it stored: merging is
 * idempotent, so loading the same papers again
 * finishes the job and doubles nothing. While title ids are about (a paper known by its title, to be
 * matched with its arXiv record in a later batch), batches go one at a time, in order.
 */
export async function copyUpsert(
  client: postgres.Sql,
  batches: AsyncIterable<Paper[]>,
  seenAt: Date,
  progress?: (papers: number) => void,
): Promise<UpsertSummary> {
  // Re-keying costs a join per batch and a hash per paper; it only matters once title ids exist.
  const [known] = await client<
    { any: boolean }[]
  >`select exists (select 1 from papers where id like 't:%') as any`;
  let titleIds = Boolean(known?.any);
  const total: UpsertSummary = { inserted: 0, updated: 0 };
  /** Batches being stored, with their papers' ids. */
  const running = new Map<Promise<void>, Set<string>>();
  let failure: { error: unknown } | undefined;
  let ord = 0;
  try {
    for await (const records of batches) {
      // Two records of one paper in a batch merge as two batches would (one row may take one update).
      const batch = mergeRecords(records);
      const hasTitleIds = batch.some((paper) => paper.id.startsWith("t:"));
      titleIds ||= hasTitleIds;
      // Written out while the server merges the batches before it.
      const lines: string[] = [];
      for (const paper of batch) lines.push(stageLine(paper, ord++, titleIds));
      const staged = { batch, hasTitleIds, rekey: titleIds, text: lines.join(""), words: corpusWords(batch) };
      // A paper in two batches is merged in their order, as it would be one batch after the other.
      const ids = new Set(batch.map((paper) => paper.id));
      const overlaps = () => [...running.values()].some((other) => batch.some((p) => other.has(p.id)));
      while (running.size >= (titleIds ? 1 : PARALLEL) || overlaps()) await Promise.race(running.keys());
      if (failure) break;
      const job: Promise<void> = storeBatch(client, staged, seenAt)
        .then((stored) => {
          total.inserted += stored.inserted;
          total.updated += stored.updated;
          progress?.(total.inserted + total.updated);
        })
        .catch((error) => {
          failure ??= { error };
        })
        .finally(() => running.delete(job));
      running.set(job, ids);
    }
  } finally {
    // A bad batch from the source, or a failed one: the others already sent finish first.
    await Promise.all(running.keys());
  }
  if (failure) throw failure.error;
  return total;
}

async function storeBatch(client: postgres.Sql, staged: StagedBatch, seenAt: Date): Promise<UpsertSummary> {
  return (await client.begin(async (tx) => {
    // The GIN indexes take new rows into a pending list; a bigger list and more memory to flush it
    // make a million-row load cheaper. Local to this transaction.
    await tx.unsafe(`set local work_mem = '256MB'; set local gin_pending_list_limit = '64MB';
      create temp table paper_stage (ord bigint, id text, title_id text, title text, abstract text,
        authors text[], published_at timestamptz, featured_on date, categories text[], abs_url text,
        pdf_url text, hf_url text, code_url text, project_url text, hf_upvotes integer,
        github_stars integer, ai_summary text, ai_keywords text[], sources text[]) on commit drop`);
    const stream = await tx.unsafe(`copy paper_stage (${STAGE_COLUMNS}) from stdin`).writable();
    const finished = new Promise<void>((resolve, reject) => {
      stream.on("finish", resolve);
      stream.on("error", reject);
    });
    stream.end(staged.text);
    await finished;
    if (staged.rekey) await tx.unsafe(REKEY);
    if (staged.hasTitleIds) await tx.unsafe(JOIN_BY_TITLE);
    const rows = await tx.unsafe<{ id: string; inserted: boolean }[]>(MERGE, [seenAt.toISOString()]);
    const fresh = new Set(rows.filter((r) => r.inserted).map((r) => r.id));
    // mergeRecords left one record per id. Sorted, so concurrent batches lock search_terms rows in one
    // order and never deadlock.
    const words =
      fresh.size === staged.batch.length
        ? staged.words
        : corpusWords(staged.batch.filter((p) => fresh.has(p.id)));
    for (let start = 0; start < words.length; start += 10_000) {
      const slice = words.slice(start, start + 10_000);
      await tx.unsafe(
        `insert into search_terms (word, docs) select * from unnest($1::text[], $2::int[])
         on conflict (word) do update set docs = search_terms.docs + excluded.docs`,
        [slice.map(([w]) => w), slice.map(([, n]) => n)] as never,
      );
    }
    return { inserted: fresh.size, updated: rows.length - fresh.size };
  })) as UpsertSummary;
}
