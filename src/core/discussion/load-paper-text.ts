import type { Paper } from "../paper.js";
import type { Clock, Logger, PaperSection, Store } from "../ports.js";
import type { FullTextFetcher } from "./full-text-fetcher.js";

export interface PaperTextDeps {
  store: Pick<Store, "paperTexts">;
  clock: Clock;
  logger: Logger;
  /** Null: abstracts only (no network, or tests that don't want it). */
  fullText: FullTextFetcher | null;
}

export interface PaperText {
  /** "Abstract" first, then the full text's sections when there is one. */
  sections: PaperSection[];
  /** Where the full text came from ("arxiv-html", "hf-markdown"), or null when only the abstract is known. */
  fullTextSource: string | null;
}

/** A source that had no text is asked again after this long, not at every question. */
const RETRY_MS = 24 * 3_600_000;

/**
 * The text questions about a paper are answered from: its abstract, plus the full text fetched once
 * and kept in the database. Papers without an arXiv id have no full text to fetch.
 */
export async function loadPaperText(deps: PaperTextDeps, paper: Paper): Promise<PaperText> {
  const abstract: PaperSection[] = paper.abstract ? [{ heading: "Abstract", text: paper.abstract }] : [];
  const now = deps.clock.now();
  let stored = await deps.store.paperTexts.get(paper.id);
  const stale = stored?.source === "none" && now.getTime() - stored.fetchedAt.getTime() > RETRY_MS;
  if ((!stored || stale) && deps.fullText && !paper.id.startsWith("t:")) {
    const fetched = await deps.fullText.fetchText(paper.id);
    stored = {
      paperId: paper.id,
      source: fetched.ok ? fetched.value.source : "none",
      sections: fetched.ok ? fetched.value.sections : [],
      error: fetched.ok ? null : fetched.error,
      fetchedAt: now,
    };
    if (!fetched.ok)
      deps.logger.info({ paper: paper.id, err: fetched.error }, "no full text; using the abstract");
    await deps.store.paperTexts.put(stored);
  }
  if (!stored || stored.source === "none") return { sections: abstract, fullTextSource: null };
  // The full text repeats the abstract; the paper record's copy is the one kept.
  const body = stored.sections.filter((s) => !/^abstract$/i.test(s.heading));
  return { sections: [...abstract, ...body], fullTextSource: stored.source };
}
