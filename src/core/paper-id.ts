import { createHash } from "node:crypto";
import { boundText, PAPER_LIMITS } from "./paper-limits.js";

// New-style ids (2301.12345, 2608.09888) and old-style ids (hep-th/9901001, cs.LG/0101001).
const NEW_STYLE = /(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d])/;
const OLD_STYLE = /\b([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?\b/;

/**
 * The arXiv id inside an id, abs/pdf URL or HF papers URL, without its version; null when there is none.
 * "https://arxiv.org/abs/2301.12345v2" -> "2301.12345".
 */
export function parseArxivId(text: string): string | null {
  const trimmed = text.trim();
  const match = NEW_STYLE.exec(trimmed) ?? OLD_STYLE.exec(trimmed);
  return match?.[1] ?? null;
}

/** Titles compared case-, space- and punctuation-insensitively, so copies of one paper meet. */
export function normalizeTitle(title: string): string {
  return title
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * The stable id of a paper with no arXiv id: "t:" and 16 hex digits of the normalized title's SHA-256.
 * The title is bounded as it is stored, so a clipped title gives the id its full text gave.
 */
export function titleId(title: string): string {
  const stored = boundText(title, PAPER_LIMITS.title);
  return `t:${createHash("sha256").update(normalizeTitle(stored)).digest("hex").slice(0, 16)}`;
}

/** The canonical id: the arXiv id when one is known, else the title id. */
export function canonicalPaperId(arxivIdOrUrl: string | null | undefined, title: string): string {
  return (arxivIdOrUrl ? parseArxivId(arxivIdOrUrl) : null) ?? titleId(title);
}
