import type { Paper } from "./paper.js";
import type { ListedPaper } from "./ports.js";
import type { PaperCard } from "./reply.js";
import { sliceWhole } from "./well-formed.js";

const SUMMARY_MAX = 240;

/** The first sentence of a text, cut at a word near `max` characters. */
export function firstSentence(text: string, max = SUMMARY_MAX): string {
  const clean = text.replace(/\s+/g, " ").trim();
  const sentence = /^(.{20,}?[.!?])(\s|$)/.exec(clean)?.[1] ?? clean;
  if (sentence.length <= max) return sentence;
  const cut = sliceWhole(sentence, max);
  return `${sliceWhole(cut, Math.max(cut.lastIndexOf(" "), max - 20))}…`;
}

/** A text cut at a word boundary near `max` characters, with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  const cut = sliceWhole(clean, max - 1);
  return `${sliceWhole(cut, Math.max(cut.lastIndexOf(" "), max - 20))}…`;
}

export function authorLine(authors: string[]): string {
  if (authors.length === 0) return "";
  if (authors.length <= 3) return authors.join(", ");
  return `${authors.slice(0, 3).join(", ")} et al.`;
}

export function paperUrl(paper: Paper): string {
  return (
    paper.hfUrl ??
    paper.absUrl ??
    (paper.id.startsWith("t:")
      ? `https://huggingface.co/papers?q=${encodeURIComponent(paper.title.slice(0, 200))}`
      : `https://arxiv.org/abs/${paper.id}`)
  );
}

export function toCard(paper: ListedPaper): PaperCard {
  return {
    id: paper.id,
    title: paper.title,
    url: paperUrl(paper),
    authors: authorLine(paper.authors),
    summary: firstSentence(paper.aiSummary || paper.abstract),
    hfUpvotes: paper.hfUpvotes,
    githubStars: paper.githubStars,
    codeUrl: paper.codeUrl,
    pdfUrl: paper.pdfUrl ?? (paper.id.startsWith("t:") ? null : `https://arxiv.org/pdf/${paper.id}`),
    votes: paper.votes,
    replies: paper.replies,
  };
}
