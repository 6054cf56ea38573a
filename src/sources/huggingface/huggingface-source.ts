import type { Paper } from "../../core/paper.js";
import type { PaperSource, SourceRequest } from "../../core/paper-source.js";
import { fail, ok, type Result } from "../../core/result.js";
import { foldWhitespace } from "../fold-whitespace.js";
import { httpGet } from "../http-get.js";
import { parseHfDailyPapers } from "./parse-hf-daily-papers.js";

export interface HuggingFaceSourceOptions {
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  /** How many times a 429 is retried before giving up. */
  maxRetries?: number;
  /** Injected so tests can honour Retry-After without waiting. */
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
}

// The API rejects limit > 100 with {"error": "Too big: expected number to be <=100"}.
const MAX_PAGE_SIZE = 100;
// A backstop in case the server ignores `p` and keeps sending full pages.
const MAX_PAGES = 50;
// Beyond this a Retry-After is a "come back later", not a pause worth blocking a post on.
const MAX_RETRY_AFTER_MS = 60_000;

export function createHuggingFaceSource({
  baseUrl = "https://huggingface.co",
  fetch: fetchImpl = globalThis.fetch,
  maxRetries = 3,
  sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  timeoutMs = 30_000,
}: HuggingFaceSourceOptions = {}): PaperSource {
  async function getJson(url: string): Promise<Result<unknown>> {
    for (let attempt = 0; ; attempt++) {
      const response = await httpGet(fetchImpl, url, { accept: "application/json", timeoutMs });
      if (!response.ok) return response;
      const { status, statusText, contentType, headers, text } = response.value;
      const where = `GET ${url} returned ${status}${statusText ? ` ${statusText}` : ""}`;

      if (status === 429) {
        const waitMs = retryAfterMs(headers.get("retry-after"), attempt);
        if (attempt >= maxRetries) return fail(`${where} (rate limited) after ${maxRetries} retries`);
        if (waitMs > MAX_RETRY_AFTER_MS) {
          return fail(`${where} (rate limited) with Retry-After ${waitMs / 1000}s`);
        }
        await sleep(waitMs);
        continue;
      }
      const json = parseJson(text);
      // HF reports bad parameters as {"error": "..."}, with a 4xx or sometimes a 2xx status.
      const error = json.ok ? errorField(json.value) : null;
      if (error !== null) return fail(`${where}: ${error}`);
      if (status < 200 || status > 299) return fail(where);
      if (contentType.includes("html") || text.trimStart().startsWith("<")) {
        return fail(`expected JSON from ${url}, got ${contentType.split(";")[0] || "markup"}`);
      }
      return json.ok ? json : fail(`expected JSON from ${url}, got unparsable text (${json.error})`);
    }
  }

  return {
    name: "huggingface",
    async fetch(request: SourceRequest): Promise<Result<Paper[]>> {
      if (!URL.canParse(baseUrl)) return fail(`invalid Hugging Face base URL "${baseUrl}"`);
      const period = periodParam(request.date);
      if (!period.ok) return period;
      const limit = request.limit ?? Number.POSITIVE_INFINITY;
      if (limit <= 0) return ok([]);
      // The page size stays fixed across pages: `p` counts pages of `limit`, so shrinking it would skip papers.
      const pageSize = Math.min(MAX_PAGE_SIZE, limit);
      const day = period.value.date ?? null;

      const papers = new Map<string, Paper>();
      for (let page = 0; page < MAX_PAGES && papers.size < limit; page++) {
        const url = new URL(`${baseUrl.replace(/\/+$/, "")}/api/daily_papers`);
        for (const [key, value] of Object.entries(period.value)) url.searchParams.set(key, value);
        url.searchParams.set("limit", String(pageSize));
        url.searchParams.set("p", String(page));

        const body = await getJson(url.toString());
        if (!body.ok) return body;
        const parsed = parseHfDailyPapers(body.value, day);
        if (!parsed.ok) return fail(`${parsed.error} (from ${url})`);

        const before = papers.size;
        for (const paper of parsed.value) if (!papers.has(paper.id)) papers.set(paper.id, paper);
        if (parsed.value.length < pageSize || papers.size === before) break;
      }
      return ok([...papers.values()].slice(0, limit));
    },
  };
}

/** request.date as the query parameter HF wants: a day, an ISO week or a month. */
function periodParam(date: string | undefined): Result<Record<string, string>> {
  if (date === undefined) return ok({});
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) return ok({ date });
  if (/^\d{4}-W\d{2}$/.test(date)) return ok({ week: date });
  if (/^\d{4}-\d{2}$/.test(date)) return ok({ month: date });
  return fail(`unrecognized date "${date}": expected YYYY-MM-DD, YYYY-Www or YYYY-MM`);
}

/** Retry-After is seconds or an HTTP date; without one, back off 1 s, 2 s, 4 s... */
function retryAfterMs(header: string | null, attempt: number): number {
  const fallback = 1000 * 2 ** attempt;
  if (!header) return fallback;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? fallback : Math.max(0, at - Date.now());
}

function parseJson(text: string): Result<unknown> {
  try {
    return ok(JSON.parse(text));
  } catch (error) {
    return fail((error as Error).message);
  }
}

function errorField(body: unknown): string | null {
  return body && typeof body === "object" && !Array.isArray(body) && "error" in body
    ? foldWhitespace(String(body.error))
    : null;
}
