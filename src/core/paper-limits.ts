import type { Paper } from "./paper.js";
import { sliceWhole, wellFormed } from "./well-formed.js";

/**
 * The most paperboy keeps of each field of a paper, far above any real paper (arXiv titles stay under
 * 300 characters, abstracts under 2,000, author lists under 3,500 names), so only a broken or hostile
 * record is clipped: Postgres would take more, but a 1 MB tsvector or a huge row fails the whole
 * batch it is in.
 */
export const PAPER_LIMITS = {
  title: 1_000,
  abstract: 20_000,
  aiSummary: 5_000,
  authors: 5_000,
  author: 300,
  categories: 100,
  category: 100,
  keywords: 100,
  keyword: 100,
  url: 2_048,
  source: 50,
} as const;

/** Postgres `integer` columns (upvotes, stars). */
const MAX_INT = 2_147_483_647;

/**
 * Text Postgres stores as given and returns as stored: valid UTF-16 (PGlite fails on a lone
 * surrogate), no NUL, no U+FEFF (invisible, and PGlite's text decoder drops it at the start of a
 * value, so a title read back would differ from the one written), at most `max`.
 */
export function boundText(text: string, max: number): string {
  const clean = wellFormed(text).replace(/[\0\uFEFF]/g, "");
  if (clean.length <= max) return clean;
  return sliceWhole(clean, max);
}

const boundList = (list: string[], count: number, each: number) =>
  list
    .slice(0, count)
    .map((item) => boundText(item, each))
    .filter(Boolean);

/** A URL that is too long is dropped, not clipped: a clipped URL leads somewhere else. */
const boundUrl = (url: string | null) =>
  url && url.length <= PAPER_LIMITS.url ? boundText(url, PAPER_LIMITS.url) : null;

/** A count Postgres' integer holds, or null: 1.5 upvotes round, -3 or 1e12 are not counts. */
const boundCount = (n: number | null) =>
  n !== null && Number.isFinite(n) && n >= 0 && n <= MAX_INT ? Math.round(n) : null;

/** A date Postgres' timestamptz and every formatter take, else null. */
const boundDate = (date: Date | null) => {
  const year = date?.getUTCFullYear();
  return date && year !== undefined && year >= 1000 && year <= 9999 ? date : null;
};

const isDay = (day: string | null): day is string =>
  day !== null && /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`));

/**
 * A paper every field of which the database takes: texts within PAPER_LIMITS and valid, counts that
 * fit an integer, dates Postgres holds. Whatever a source sends, storing it never fails on its size.
 */
export function boundPaper(paper: Paper): Paper {
  return {
    ...paper,
    title: boundText(paper.title, PAPER_LIMITS.title),
    abstract: boundText(paper.abstract, PAPER_LIMITS.abstract),
    authors: boundList(paper.authors, PAPER_LIMITS.authors, PAPER_LIMITS.author),
    publishedAt: boundDate(paper.publishedAt),
    featuredOn: isDay(paper.featuredOn) ? paper.featuredOn : null,
    categories: boundList(paper.categories, PAPER_LIMITS.categories, PAPER_LIMITS.category),
    absUrl: boundUrl(paper.absUrl),
    pdfUrl: boundUrl(paper.pdfUrl),
    hfUrl: boundUrl(paper.hfUrl),
    codeUrl: boundUrl(paper.codeUrl),
    projectUrl: boundUrl(paper.projectUrl),
    hfUpvotes: boundCount(paper.hfUpvotes),
    githubStars: boundCount(paper.githubStars),
    aiSummary: paper.aiSummary === null ? null : boundText(paper.aiSummary, PAPER_LIMITS.aiSummary),
    aiKeywords: boundList(paper.aiKeywords, PAPER_LIMITS.keywords, PAPER_LIMITS.keyword),
    source: boundText(paper.source, PAPER_LIMITS.source),
  };
}
