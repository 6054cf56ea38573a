import { makePaper, type Paper } from "../../core/paper.js";
import { canonicalPaperId, parseArxivId } from "../../core/paper-id.js";
import { fail, ok, type Result } from "../../core/result.js";
import { foldWhitespace } from "../fold-whitespace.js";
import type { HfDailyEntry } from "./hf-schema.js";

type Fields = Omit<HfDailyEntry, "paper">;

/**
 * Turns one daily_papers element into a Paper. `fallbackDay` is the featured day to use when the entry
 * does not say when it was submitted to Daily Papers.
 */
export function mapHfEntry(entry: HfDailyEntry, fallbackDay: string | null): Result<Paper> {
  // `paper.*` is the paper record proper; the top level repeats some fields with different meanings
  // (its publishedAt is the listing time, not the paper's), so it is only a fallback.
  const get = <K extends keyof Fields>(key: K): Fields[K] => entry.paper?.[key] ?? entry[key];

  const title = foldWhitespace(get("title") ?? "");
  if (!title) return fail(`entry ${get("id") ?? "without id"} has no title`);

  const rawId = get("id") ?? null;
  const arxivId = rawId ? parseArxivId(rawId) : null;
  const paperId = arxivId ?? rawId;
  return ok(
    makePaper({
      id: canonicalPaperId(arxivId, title),
      title,
      // Summaries keep arXiv's hard breaks ("practices ...\n  On Terminal-Bench"); fold them like the arXiv source.
      abstract: foldWhitespace(get("summary") ?? ""),
      authors: (get("authors") ?? []).flatMap((author) => (author.name ? [author.name.trim()] : [])),
      publishedAt: toDate(get("publishedAt")),
      featuredOn: toDay(get("submittedOnDailyAt")) ?? fallbackDay,
      absUrl: arxivId ? `https://arxiv.org/abs/${arxivId}` : null,
      pdfUrl: arxivId ? `https://arxiv.org/pdf/${arxivId}` : null,
      hfUrl: paperId ? `https://huggingface.co/papers/${paperId}` : null,
      codeUrl: get("githubRepo") ?? null,
      projectUrl: get("projectPage") ?? null,
      hfUpvotes: get("upvotes") ?? null,
      githubStars: get("githubStars") ?? null,
      aiSummary: get("ai_summary") ?? null,
      aiKeywords: get("ai_keywords") ?? [],
      source: "huggingface",
    }),
  );
}

function toDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function toDay(value: string | null | undefined): string | null {
  return toDate(value)?.toISOString().slice(0, 10) ?? null;
}
