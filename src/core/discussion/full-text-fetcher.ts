import type { PaperSection } from "../ports.js";
import { fail, ok, type Result } from "../result.js";
import { parseArxivHtml } from "./parse-arxiv-html.js";
import { parseMarkdownSections } from "./parse-markdown-sections.js";

export interface FullText {
  source: "arxiv-html" | "hf-markdown";
  sections: PaperSection[];
}

/** Fetches a paper's full text; never throws, and gives up within its timeout. */
export interface FullTextFetcher {
  fetchText(arxivId: string): Promise<Result<FullText>>;
}

export interface FullTextOptions {
  /** arXiv's HTML papers, "https://arxiv.org/html" (the id is appended). */
  arxivHtmlUrl: string;
  /** Hugging Face, "https://huggingface.co" (the paper page's markdown is /papers/<id>.md). */
  hfBaseUrl: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

const MAX_BYTES = 8_000_000;

/** Full text from arXiv HTML, else from the HF paper page's markdown; errors say which failed and why. */
export function createFullTextFetcher(options: FullTextOptions): FullTextFetcher {
  const get = options.fetch ?? fetch;
  const download = async (url: string, accept: string): Promise<Result<string>> => {
    try {
      const response = await get(url, {
        headers: { accept, "user-agent": "paperboy" },
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (!response.ok) return fail(`${url}: HTTP ${response.status}`);
      const text = await response.text();
      return ok(text.length > MAX_BYTES ? text.slice(0, MAX_BYTES) : text);
    } catch (error) {
      const e = error as Error & { cause?: { code?: string } };
      const why =
        e.name === "TimeoutError" ? `no answer in ${options.timeoutMs} ms` : (e.cause?.code ?? e.message);
      return fail(`${url}: ${why}`);
    }
  };
  const trim = (url: string) => url.replace(/\/+$/, "");
  return {
    async fetchText(arxivId) {
      const id = encodeURIComponent(arxivId).replace(/%2F/g, "/");
      const html = await download(`${trim(options.arxivHtmlUrl)}/${id}`, "text/html");
      if (html.ok) {
        const sections = parseArxivHtml(html.value);
        if (sections.length > 0) return ok({ source: "arxiv-html", sections });
      }
      const md = await download(`${trim(options.hfBaseUrl)}/papers/${id}.md`, "text/markdown");
      if (md.ok) {
        const sections = parseMarkdownSections(md.value);
        if (sections.length > 0) return ok({ source: "hf-markdown", sections });
      }
      const why = [
        html.ok ? "arXiv HTML had no text" : html.error,
        md.ok ? "HF markdown had no text" : md.error,
      ];
      return fail(why.join("; "));
    },
  };
}
