import { z } from "zod";
import { makePaper, type Paper } from "../../core/paper.js";
import { canonicalPaperId, parseArxivId } from "../../core/paper-id.js";
import { fail, ok, type Result } from "../../core/result.js";
import { describeZodError } from "../describe-zod-error.js";
import { foldWhitespace } from "../fold-whitespace.js";

const text = z.string().nullish();
// Counts and dates Postgres can hold, refused with a message rather than failing the whole load there.
const count = z
  .number()
  .refine(
    (n) => Number.isInteger(n) && n >= 0 && n <= 2_147_483_647,
    "expected a whole number from 0 to 2147483647",
  )
  .nullish();
const YEAR_RANGE = "a date between the years 1000 and 9999";
const author = z.union([z.string(), z.object({ name: z.string() })]);

// Loose on purpose: hand-written exports, our own Paper JSON and other tools' dumps should all load.
const paperRecordSchema = z.object({
  id: z.union([z.string(), z.number()]).nullish(),
  arxivId: text,
  title: z.string().refine((title) => title.trim() !== "", "title is empty"),
  abstract: text,
  summary: text,
  authors: z.union([z.array(author), z.string()]).nullish(),
  url: text,
  absUrl: text,
  pdfUrl: text,
  hfUrl: text,
  codeUrl: text,
  projectUrl: text,
  publishedAt: z
    .union([z.string(), z.number()])
    .nullish()
    .refine((value) => value == null || !Number.isNaN(new Date(value).getTime()), "not a date")
    .refine((value) => {
      const year = value == null ? 2000 : new Date(value).getUTCFullYear();
      return Number.isNaN(year) || (year >= 1000 && year <= 9999);
    }, `expected ${YEAR_RANGE}`),
  featuredOn: z
    .string()
    .refine(
      (day) => /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(day)),
      "expected a day as YYYY-MM-DD",
    )
    .nullish(),
  categories: z.array(z.string()).nullish(),
  hfUpvotes: count,
  githubStars: count,
  aiSummary: text,
  aiKeywords: z.array(z.string()).nullish(),
});

/** A Paper-like object ({title, abstract?, authors?, id?, arxivId?, url?...}) as a Paper. */
export function parsePaperRecord(value: unknown): Result<Paper> {
  const parsed = paperRecordSchema.safeParse(value);
  if (!parsed.success) return fail(describeZodError(parsed.error));
  const record = parsed.data;
  const title = foldWhitespace(record.title);
  const arxivId = [record.arxivId, record.id, record.absUrl, record.url]
    .map((candidate) => (candidate == null ? null : parseArxivId(String(candidate))))
    .find((id) => id !== null);

  return ok(
    makePaper({
      id: canonicalPaperId(arxivId, title),
      title,
      abstract: foldWhitespace(record.abstract ?? record.summary ?? ""),
      authors: authorNames(record.authors),
      publishedAt: record.publishedAt == null ? null : new Date(record.publishedAt),
      featuredOn: record.featuredOn ?? null,
      categories: record.categories ?? [],
      absUrl: record.absUrl ?? (arxivId ? `https://arxiv.org/abs/${arxivId}` : (record.url ?? null)),
      pdfUrl: record.pdfUrl ?? (arxivId ? `https://arxiv.org/pdf/${arxivId}` : null),
      hfUrl: record.hfUrl ?? null,
      codeUrl: record.codeUrl ?? null,
      projectUrl: record.projectUrl ?? null,
      hfUpvotes: record.hfUpvotes ?? null,
      githubStars: record.githubStars ?? null,
      aiSummary: record.aiSummary ?? null,
      aiKeywords: record.aiKeywords ?? [],
      source: "file",
    }),
  );
}

/** One JSONL line as a Paper. Shared by the whole-file import and the streaming reader. */
export function parsePaperLine(line: string): Result<Paper> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return fail(`not valid JSON (${(error as Error).message})`);
  }
  return parsePaperRecord(value);
}

function authorNames(authors: z.infer<typeof paperRecordSchema>["authors"]): string[] {
  // A single string is a human-written list: "A. Author, B. Author and C. Author".
  const list = typeof authors === "string" ? authors.split(/,|\band\b/) : (authors ?? []);
  return list.map((entry) => foldWhitespace(typeof entry === "string" ? entry : entry.name)).filter(Boolean);
}
