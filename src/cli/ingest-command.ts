import { stat } from "node:fs/promises";
import { type IngestSummary, ingestPapers } from "../core/ingest/ingest-papers.js";
import { ingestStream } from "../core/ingest/ingest-stream.js";
import type { Result } from "../core/result.js";
import type { Runtime } from "../runtime.js";
import { readJsonlPapers } from "../sources/file/read-jsonl.js";
import type { SourceName } from "../sources/registry.js";
import { sources } from "../sources/registry.js";
import { type CliCommand, intOption, needRuntime } from "./cli-command.js";
import { progressBar } from "./progress-bar.js";

/** JSONL files stream, whatever their size; other formats are parsed whole. */
const STREAMED = /\.(jsonl|ndjson)$/i;

/** A JSONL file of any size, batch by batch in one transaction, with a progress bar on a terminal. */
async function ingestJsonl(
  runtime: Runtime,
  path: string,
  limit: number | undefined,
): Promise<Result<IngestSummary>> {
  const size = await stat(path).then(
    (s) => s.size,
    () => 0,
  );
  const bar = progressBar(size);
  let bytes = 0;
  const records = readJsonlPapers(path, (read) => {
    bytes = read;
  });
  try {
    return await ingestStream(runtime.store.papers, "file", records, runtime.clock.now(), {
      limit,
      progress: (papers) => bar.update(bytes, papers),
    });
  } finally {
    bar.finish();
  }
}

const ALIASES: Record<string, SourceName> = {
  hf: "huggingface",
  huggingface: "huggingface",
  arxiv: "arxiv",
  file: "file",
};

export const ingestCommand: CliCommand = {
  name: "ingest",
  usage: "ingest [--source hf|arxiv|file] [--date YYYY-MM-DD] [--file PATH] [--query Q]",
  summary: "load papers into the library",
  options: {
    source: { type: "string" },
    date: { type: "string" },
    file: { type: "string" },
    query: { type: "string" },
    limit: { type: "string" },
  },
  async run(context) {
    const runtime = needRuntime(context);
    const { values } = context;
    const name =
      values.file && !values.source ? "file" : ALIASES[String(values.source ?? "hf").toLowerCase()];
    if (!name || !(name in sources)) {
      console.error(`paperboy ingest: --source is hf, arxiv or file, not "${values.source}"`);
      return 2;
    }
    if (name === "file" && !values.file) {
      console.error("paperboy ingest: --source file needs --file PATH");
      return 2;
    }
    if (values.date !== undefined && !/^\d{4}-(\d{2}|W\d{2})(-\d{2})?$/.test(String(values.date))) {
      console.error(
        `paperboy ingest: --date is YYYY-MM-DD (or YYYY-Www, YYYY-MM for hf), not "${values.date}"`,
      );
      return 2;
    }
    const limit = intOption(values.limit, "limit", 1_000_000, 10_000_000);
    if (typeof limit === "string") {
      console.error(`paperboy ingest: ${limit}`);
      return 2;
    }
    const request = {
      ...(values.date
        ? { date: String(values.date) }
        : name === "huggingface"
          ? { date: new Date().toISOString().slice(0, 10) }
          : {}),
      ...(values.file ? { file: String(values.file) } : {}),
      query: String(values.query ?? (name === "arxiv" ? runtime.config.ARXIV_CATEGORIES : "")) || undefined,
      ...(values.limit ? { limit } : {}),
    };
    const result =
      name === "file" && STREAMED.test(String(values.file))
        ? await ingestJsonl(runtime, String(values.file), values.limit ? limit : undefined)
        : await ingestPapers(runtime.store.papers, runtime.source(name), request, runtime.clock.now());
    if (!result.ok) {
      console.error(`paperboy ingest: ${result.error}\nNothing was written.`);
      return 1;
    }
    const { fetched, inserted, updated } = result.value;
    console.log(
      fetched === 0
        ? `No papers from ${name}${request.date ? ` for ${request.date}` : ""} (HF has none on weekends).`
        : `${fetched} papers from ${name}: ${inserted} new, ${updated} updated. Library: ${await runtime.store.papers.count()} papers.`,
    );
    return 0;
  },
};
