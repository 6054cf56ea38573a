import type { Paper } from "./paper.js";
import type { Result } from "./result.js";

/** What to fetch. Each source uses the fields that make sense to it and ignores the rest. */
export interface SourceRequest {
  /** A day, "YYYY-MM-DD" (HF: the featured day; arXiv: submitted that day). */
  date?: string;
  /** Free query (arXiv search_query) or categories ("cs.LG"). */
  query?: string;
  /** A local file path (the file source). */
  file?: string;
  /** Upper bound on papers returned. */
  limit?: number;
}

/**
 * A place papers come from: Hugging Face Daily Papers, arXiv, a local file.
 * Fetching never throws: network failures and bad payloads come back as `ok: false` with a message
 * a user can act on, and nothing is written anywhere.
 */
export interface PaperSource {
  readonly name: string;
  fetch(request: SourceRequest): Promise<Result<Paper[]>>;
}
