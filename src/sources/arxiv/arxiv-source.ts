import PQueue from "p-queue";
import type { Paper } from "../../core/paper.js";
import type { PaperSource, SourceRequest } from "../../core/paper-source.js";
import { fail, ok, type Result } from "../../core/result.js";
import { httpGet } from "../http-get.js";
import { buildSearchQuery } from "./build-search-query.js";
import { parseArxivAtom } from "./parse-atom.js";

export interface ArxivSourceOptions {
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  /** arXiv's terms of use ask for no more than one request every 3 seconds, one connection at a time. */
  minIntervalMs?: number;
  timeoutMs?: number;
}

// The API serves at most 2000 results per request; larger asks must page with `start`.
const MAX_RESULTS = 2000;

export function createArxivSource({
  baseUrl = "https://export.arxiv.org/api/query",
  fetch: fetchImpl = globalThis.fetch,
  minIntervalMs = 3000,
  timeoutMs = 60_000,
}: ArxivSourceOptions = {}): PaperSource {
  // One queue per source instance: every fetch through this instance shares the same budget.
  const queue = new PQueue(
    minIntervalMs > 0 ? { concurrency: 1, interval: minIntervalMs, intervalCap: 1 } : { concurrency: 1 },
  );

  async function get(url: string): Promise<Result<Paper[]>> {
    const response = await httpGet(fetchImpl, url, { accept: "application/atom+xml", timeoutMs });
    if (!response.ok) return response;
    const { status, statusText, text } = response.value;
    if (status >= 200 && status <= 299) return parseArxivAtom(text);

    // A rejected query comes back as a 400 carrying an error feed, whose message is worth more than the status.
    const where = `GET ${url} returned ${status}${statusText ? ` ${statusText}` : ""}`;
    const body = parseArxivAtom(text);
    return fail(!body.ok && body.error.startsWith("arXiv API error") ? `${where}: ${body.error}` : where);
  }

  return {
    name: "arxiv",
    async fetch(request: SourceRequest): Promise<Result<Paper[]>> {
      if (!URL.canParse(baseUrl)) return fail(`invalid arXiv base URL "${baseUrl}"`);
      const query = buildSearchQuery(request);
      if (!query.ok) return query;
      if (request.limit !== undefined && request.limit <= 0) return ok([]);

      const url = new URL(baseUrl);
      url.searchParams.set("search_query", query.value);
      url.searchParams.set("sortBy", "submittedDate");
      url.searchParams.set("sortOrder", "descending");
      url.searchParams.set("start", "0");
      url.searchParams.set("max_results", String(Math.min(request.limit ?? 100, MAX_RESULTS)));
      return queue
        .add(() => get(url.toString()), { throwOnTimeout: true })
        .catch((error: unknown) => fail(`arXiv request failed: ${String(error)}`));
    },
  };
}
