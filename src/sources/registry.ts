import type { PaperSource } from "../core/paper-source.js";
import { createArxivSource } from "./arxiv/arxiv-source.js";
import { createFileSource } from "./file/file-source.js";
import { createHuggingFaceSource } from "./huggingface/huggingface-source.js";

/** What every source factory is handed; each takes what it needs. Unset URLs mean the public services. */
export interface SourceConfig {
  hfBaseUrl?: string;
  arxivBaseUrl?: string;
  fetch?: typeof globalThis.fetch;
}

export type SourceFactory = (config: SourceConfig) => PaperSource;

/** Every paper source by name. Adding one is a new folder under src/sources and one line here. */
export const sources = {
  huggingface: (config) => createHuggingFaceSource({ baseUrl: config.hfBaseUrl, fetch: config.fetch }),
  arxiv: (config) => createArxivSource({ baseUrl: config.arxivBaseUrl, fetch: config.fetch }),
  file: (_config) => createFileSource(),
} satisfies Record<string, SourceFactory>;

export type SourceName = keyof typeof sources;
