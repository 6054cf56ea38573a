import type { ListedPaper } from "../core/ports.js";

/** The columns every paper listing selects, in snake case as raw SQL returns them. */
export const PAPER_COLUMNS = `p.id, p.title, p.abstract, p.authors, p.published_at, p.featured_on::text as featured_on, p.categories,
  p.abs_url, p.pdf_url, p.hf_url, p.code_url, p.project_url, p.hf_upvotes, p.github_stars,
  p.ai_summary, p.ai_keywords, p.sources, p.first_seen_at`;

export type PaperRow = Record<string, unknown>;

const toDate = (value: unknown): Date | null =>
  value === null || value === undefined ? null : value instanceof Date ? value : new Date(String(value));
const toDay = (value: unknown): string | null =>
  value === null || value === undefined
    ? null
    : value instanceof Date
      ? value.toISOString().slice(0, 10)
      : String(value).slice(0, 10);
const toNumber = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

export function toListedPaper(row: PaperRow): ListedPaper {
  return {
    id: String(row.id),
    title: String(row.title),
    abstract: String(row.abstract ?? ""),
    authors: (row.authors as string[] | null) ?? [],
    publishedAt: toDate(row.published_at),
    featuredOn: toDay(row.featured_on),
    categories: (row.categories as string[] | null) ?? [],
    absUrl: (row.abs_url as string | null) ?? null,
    pdfUrl: (row.pdf_url as string | null) ?? null,
    hfUrl: (row.hf_url as string | null) ?? null,
    codeUrl: (row.code_url as string | null) ?? null,
    projectUrl: (row.project_url as string | null) ?? null,
    hfUpvotes: toNumber(row.hf_upvotes),
    githubStars: toNumber(row.github_stars),
    aiSummary: (row.ai_summary as string | null) ?? null,
    aiKeywords: (row.ai_keywords as string[] | null) ?? [],
    source: ((row.sources as string[] | null) ?? [])[0] ?? "",
    firstSeenAt: toDate(row.first_seen_at) ?? new Date(0),
    votes: Number(row.votes ?? 0),
    replies: Number(row.replies ?? 0),
    score: Number(row.score ?? 0),
  };
}
