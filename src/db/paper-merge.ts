import { getTableColumns } from "drizzle-orm";
import { papers } from "./schema.js";

type PaperColumn = keyof typeof papers.$inferInsert;

/**
 * How a stored paper takes a new record of itself (INSERT … ON CONFLICT (id) DO UPDATE), as
 * mergeRecords merges two records of a batch: the longer abstract, the union of categories and sources,
 * the earliest publication, the latest featured day, and every other field kept unless the new record
 * knows it. One definition for PaperStore.upsert and the COPY bulk path.
 */
export const MERGE_SET: Partial<Record<PaperColumn, string>> = {
  title: "coalesce(nullif(excluded.title, ''), papers.title)",
  abstract:
    "case when length(excluded.abstract) >= length(papers.abstract) then excluded.abstract else papers.abstract end",
  authors: "case when cardinality(excluded.authors) > 0 then excluded.authors else papers.authors end",
  publishedAt: "least(papers.published_at, excluded.published_at)",
  featuredOn: "greatest(papers.featured_on, excluded.featured_on)",
  categories: "array(select distinct unnest(papers.categories || excluded.categories))",
  absUrl: "coalesce(excluded.abs_url, papers.abs_url)",
  pdfUrl: "coalesce(excluded.pdf_url, papers.pdf_url)",
  hfUrl: "coalesce(excluded.hf_url, papers.hf_url)",
  codeUrl: "coalesce(excluded.code_url, papers.code_url)",
  projectUrl: "coalesce(excluded.project_url, papers.project_url)",
  hfUpvotes: "coalesce(excluded.hf_upvotes, papers.hf_upvotes)",
  githubStars: "coalesce(excluded.github_stars, papers.github_stars)",
  aiSummary: "coalesce(excluded.ai_summary, papers.ai_summary)",
  aiKeywords:
    "case when cardinality(excluded.ai_keywords) > 0 then excluded.ai_keywords else papers.ai_keywords end",
  sources: "array(select distinct unnest(papers.sources || excluded.sources))",
};

const columns = getTableColumns(papers);

/** MERGE_SET as the text of a DO UPDATE SET clause. */
export const MERGE_SET_SQL = Object.entries(MERGE_SET)
  .map(([key, expression]) => `${columns[key as PaperColumn].name} = ${expression}`)
  .join(",\n    ");
