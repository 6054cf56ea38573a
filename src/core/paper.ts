import { boundPaper } from "./paper-limits.js";

/**
 * A research paper as the core knows it, whatever source it came from.
 * Sources produce these; the store merges them by `id`.
 */
export interface Paper {
  /** Canonical id: the arXiv id without version ("2608.09888"), else "t:" + a hash of the normalized title. */
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  /** When the paper was published (arXiv v1 or the source's own date). */
  publishedAt: Date | null;
  /** The day Hugging Face featured it on Daily Papers, "YYYY-MM-DD". */
  featuredOn: string | null;
  categories: string[];
  absUrl: string | null;
  pdfUrl: string | null;
  hfUrl: string | null;
  codeUrl: string | null;
  projectUrl: string | null;
  hfUpvotes: number | null;
  githubStars: number | null;
  aiSummary: string | null;
  aiKeywords: string[];
  /** Which source produced this record: "huggingface", "arxiv", "file". */
  source: string;
}

/**
 * A paper with every optional field defaulted, so sources only fill what they know, and every field
 * within PAPER_LIMITS, so whatever a source sends is stored (clipped) rather than failing its batch.
 */
export function makePaper(fields: Pick<Paper, "id" | "title" | "source"> & Partial<Paper>): Paper {
  return boundPaper({
    abstract: "",
    authors: [],
    publishedAt: null,
    featuredOn: null,
    categories: [],
    absUrl: null,
    pdfUrl: null,
    hfUrl: null,
    codeUrl: null,
    projectUrl: null,
    hfUpvotes: null,
    githubStars: null,
    aiSummary: null,
    aiKeywords: [],
    ...fields,
  });
}
