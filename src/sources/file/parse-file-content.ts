import type { Paper } from "../../core/paper.js";
import { fail, ok, type Result } from "../../core/result.js";
import { parseArxivAtom } from "../arxiv/parse-atom.js";
import { parseHfDailyPapers } from "../huggingface/parse-hf-daily-papers.js";
import { parsePaperLine, parsePaperRecord } from "./paper-record.js";
import { parseTextPage } from "./parse-text-page.js";

const FORMATS = "HF daily_papers JSON, arXiv Atom, a JSON array of papers, JSONL or a text page";

/**
 * Papers from a file's text, whatever the format: recognized by content, because exports and copy-pastes
 * are saved under any name. `featuredDay` backs HF entries that do not say when they were featured.
 */
export function parseFileContent(text: string, featuredDay: string | null): Result<Paper[]> {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (trimmed === "") return fail(`the file is empty; expected ${FORMATS}`);

  if (trimmed.startsWith("<")) {
    if (/^(?:<\?xml|<(?:[\w-]+:)?feed\b)/.test(trimmed)) return parseArxivAtom(trimmed);
    const found = /^<(?:!doctype html|html)\b/i.test(trimmed)
      ? "an HTML page"
      : `markup "${trimmed.slice(0, 30)}"`;
    return fail(`unknown format: expected arXiv Atom (starting with <?xml or <feed), found ${found}`);
  }
  if (trimmed.startsWith("[")) return parseJsonArray(trimmed, featuredDay);
  if (trimmed.startsWith("{")) return parseJsonl(trimmed);
  const page = parseTextPage(trimmed);
  return page.ok
    ? page
    : fail(`unknown format: not JSON or XML, and as a text page: ${page.error}; expected ${FORMATS}`);
}

function parseJsonArray(text: string, featuredDay: string | null): Result<Paper[]> {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    return fail(`expected a JSON array (the file starts with "["), but it does not parse: ${parsed.error}`);
  }
  const items = Array.isArray(parsed.value) ? (parsed.value as unknown[]) : [];
  if (items.some(isHfEntry)) return parseHfDailyPapers(items, featuredDay);

  const papers: Paper[] = [];
  for (const [index, item] of items.entries()) {
    const paper = parsePaperRecord(item);
    if (!paper.ok) return fail(`JSON array item ${index + 1} of ${items.length}: ${paper.error}`);
    papers.push(paper.value);
  }
  return ok(papers);
}

// One bad line rejects the whole file: a half-imported file is harder to fix than a refused one.
function parseJsonl(text: string): Result<Paper[]> {
  const whole = parseJson(text);
  // The whole text parses only when it is a single object, maybe pretty-printed: one paper, or an error body.
  if (whole.ok) {
    if (isObject(whole.value) && "error" in whole.value) return parseHfDailyPapers(whole.value, null);
    const paper = parsePaperRecord(whole.value);
    return paper.ok
      ? ok([paper.value])
      : fail(`expected a paper object or JSONL, found a JSON object that is not a paper (${paper.error})`);
  }
  const papers: Paper[] = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === "") continue;
    const paper = parsePaperLine(line);
    if (!paper.ok) return fail(`JSONL line ${index + 1}: ${paper.error}`);
    papers.push(paper.value);
  }
  return ok(papers);
}

function parseJson(text: string): Result<unknown> {
  try {
    return ok(JSON.parse(text));
  } catch (error) {
    return fail((error as Error).message);
  }
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isHfEntry(item: unknown): boolean {
  if (!isObject(item)) return false;
  return "paper" in item || ("title" in item && "summary" in item && !("abstract" in item));
}
