import type { Paper } from "../../core/paper.js";
import { fail, ok, type Result } from "../../core/result.js";
import { describeZodError } from "../describe-zod-error.js";
import { foldWhitespace } from "../fold-whitespace.js";
import { hfDailyPapersSchema } from "./hf-schema.js";
import { mapHfEntry } from "./map-hf-entry.js";

/** A parsed /api/daily_papers body (or a saved copy of one) as Papers. An empty list is fine: weekends. */
export function parseHfDailyPapers(payload: unknown, fallbackDay: string | null): Result<Paper[]> {
  // HF answers bad parameters with {"error": "..."}, sometimes with a 2xx status.
  if (payload && typeof payload === "object" && !Array.isArray(payload) && "error" in payload) {
    return fail(`Hugging Face returned an error: ${foldWhitespace(String(payload.error))}`);
  }
  if (!Array.isArray(payload)) {
    return fail(`expected a JSON array of daily papers, got ${describeJson(payload)}`);
  }

  const parsed = hfDailyPapersSchema.safeParse(payload);
  if (!parsed.success) return fail(`unexpected daily papers data ${describeZodError(parsed.error)}`);

  const papers: Paper[] = [];
  for (const entry of parsed.data) {
    const paper = mapHfEntry(entry, fallbackDay);
    if (!paper.ok) return paper;
    papers.push(paper.value);
  }
  return ok(papers);
}

function describeJson(value: unknown): string {
  return value === null ? "null" : typeof value === "object" ? "an object" : `a ${typeof value}`;
}
