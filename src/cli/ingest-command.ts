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

/**
 * A JSONL file of any size, read twice (checked whole, then written batch by batch), with a progress
 * bar for each read on a terminal. After a failure while writing, says how many papers were written.
 */
async function ingestJsonl(
  runtime: Runtime,
  path: string,
  limit: number | undefined,
): Promise<{ result: Result<IngestSummary>; written: number }> {
  const size = await stat(path).then(
    (s) => s.size,
    () => 0,
  );
  let bytes = 0;
  let written = 0;
  let bar = progressBar(size, "papers checked");
  const open = () =>
    readJsonlPapers(path, (read) => {
      bytes = read;
    });
  try {
    const result = await ingestStream(runtime.store.papers, "file", open, runtime.clock.now(), {
      limit,
      checked: (records) => bar.update(bytes, records),
      progress: (papers) => {
        if (written === 0) {
          bar.finish();
          bar = progressBar(size, "papers written");
        }
        written = papers;
        bar.update(bytes, papers);
      },
    });
    return { result, written };
  } catch (error) {
    if (written === 0) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    return { result: { ok: false, error: reason }, written };
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
    const { result, written } =
      name === "file" && STREAMED.test(String(values.file))
        ? await ingestJsonl(runtime, String(values.file), values.limit ? limit : undefined)
        : {
            result: await ingestPapers(
              runtime.store.papers,
              runtime.source(name),
              request,
              runtime.clock.now(),
            ),
            written: 0,
          };
    if (!result.ok) {
      console.error(
        `paperboy ingest: ${result.error}\n${
          written === 0
            ? "Nothing was written."
            : `${written} papers were written before it stopped; run the same command again to finish (papers are merged, never doubled).`
        }`,
      );
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
