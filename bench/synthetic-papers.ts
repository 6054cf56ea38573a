import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { Paper } from "../src/core/paper.js";
import { sources } from "../src/sources/registry.js";

/** A small fast seeded generator (mulberry32): the same corpus on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Model {
  vocabulary: string[];
  /** Every token of the sample as a vocabulary index: drawing one is drawing by frequency. */
  tokens: Int32Array;
  /** The tokens that follow each word in the sample, with repeats. */
  next: Int32Array[];
  lengths: number[];
}

function model(texts: string[]): Model {
  const ids = new Map<string, number>();
  const vocabulary: string[] = [];
  const tokens: number[] = [];
  const following: number[][] = [];
  const lengths: number[] = [];
  for (const text of texts) {
    const words = text.split(/\s+/).filter(Boolean);
    lengths.push(words.length);
    const row = words.map((word) => {
      let id = ids.get(word);
      if (id === undefined) {
        id = vocabulary.push(word) - 1;
        ids.set(word, id);
        following.push([]);
      }
      return id;
    });
    row.forEach((id, i) => {
      tokens.push(id);
      if (i + 1 < row.length) (following[id] as number[]).push(row[i + 1] as number);
    });
  }
  return {
    vocabulary,
    tokens: Int32Array.from(tokens),
    next: following.map((f) => Int32Array.from(f)),
    lengths,
  };
}

/**
 * A synthetic corpus with the sample page's vocabulary and word frequencies: text walks the sample's
 * word pairs (so phrases such as "kv cache" or "information bottleneck" recur) and jumps to a random
 * word of the sample a quarter of the time (so topics mix). Ids are arXiv-shaped and unique.
 */
export async function syntheticPapers(): Promise<(i: number) => Paper> {
  const sample = await sources
    .file({})
    .fetch({ file: new URL("../samples/hf-papers-page.txt", import.meta.url).pathname });
  if (!sample.ok) throw new Error(sample.error);
  const titles = model(sample.value.map((p) => p.title));
  const abstracts = model(sample.value.map((p) => p.abstract));
  const surnames = [
    ...new Set(sample.value.flatMap((p) => p.title.split(/\W+/)).filter((w) => /^[A-Z][a-z]{3,}$/.test(w))),
  ];
  const walk = (m: Model, length: number, rand: () => number) => {
    let word = m.tokens[Math.floor(rand() * m.tokens.length)] as number;
    const out = [m.vocabulary[word]];
    while (out.length < length) {
      const options = m.next[word] as Int32Array;
      word =
        options.length > 0 && rand() < 0.75
          ? (options[Math.floor(rand() * options.length)] as number)
          : (m.tokens[Math.floor(rand() * m.tokens.length)] as number);
      out.push(m.vocabulary[word]);
    }
    return out.join(" ");
  };
  const start = Date.UTC(2023, 0, 1);
  return (i: number) => {
    const rand = random(i * 2654435761 + 1);
    const id = `${1000 + Math.floor(i / 100_000)}.${String(i % 100_000).padStart(5, "0")}`;
    const title = walk(titles, 6 + Math.floor(rand() * 9), rand).replace(/[.,;:]$/, "");
    const abstract = walk(
      abstracts,
      abstracts.lengths[Math.floor(rand() * abstracts.lengths.length)] as number,
      rand,
    );
    return {
      id,
      title,
      abstract,
      authors: [0, 1, 2].map(() => `A. ${surnames[Math.floor(rand() * surnames.length)]}`),
      publishedAt: new Date(start + Math.floor(rand() * 1000) * 86_400_000),
      featuredOn: null,
      categories: ["cs.LG"],
      absUrl: `https://arxiv.org/abs/${id}`,
      pdfUrl: `https://arxiv.org/pdf/${id}`,
      hfUrl: null,
      codeUrl: null,
      projectUrl: null,
      hfUpvotes: Math.max(0, Math.floor(1 / (rand() + 0.002)) - 1),
      githubStars: null,
      aiSummary: null,
      aiKeywords: [],
      source: "file",
    };
  };
}

const tsv = (value: string) =>
  value.replace(/[\\\t\n\r]/g, (c) =>
    c === "\t" ? "\\t" : c === "\n" ? "\\n" : c === "\r" ? "\\r" : "\\\\",
  );
const pgArray = (values: string[]) =>
  `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(",")}}`;

/** The columns of TSV_COLUMNS, for psql's \copy of exactly the rows the JSONL holds. */
export const TSV_COLUMNS =
  "id, title, abstract, authors, published_at, categories, abs_url, pdf_url, hf_upvotes, sources";

/** Writes `count` papers as JSONL (for `paperboy ingest`) and as TSV (for psql \copy). */
export async function writeCorpus(count: number, jsonlPath: string, tsvPath: string): Promise<void> {
  const make = await syntheticPapers();
  const jsonl = createWriteStream(jsonlPath);
  const text = createWriteStream(tsvPath);
  for (let i = 0; i < count; i++) {
    const p = make(i);
    const line = JSON.stringify({
      id: p.id,
      title: p.title,
      abstract: p.abstract,
      authors: p.authors,
      publishedAt: p.publishedAt?.toISOString(),
      categories: p.categories,
      hfUpvotes: p.hfUpvotes,
    });
    const row = [
      p.id,
      p.title,
      p.abstract,
      pgArray(p.authors),
      p.publishedAt?.toISOString() ?? "",
      pgArray(p.categories),
      p.absUrl ?? "",
      p.pdfUrl ?? "",
      String(p.hfUpvotes),
      "{file}",
    ]
      .map((v) => tsv(v))
      .join("\t");
    jsonl.write(`${line}\n`);
    text.write(`${row}\n`);
    // Checked when waiting, not when writing: a stream may drain while the other one is awaited.
    if (jsonl.writableNeedDrain) await once(jsonl, "drain");
    if (text.writableNeedDrain) await once(text, "drain");
  }
  jsonl.end();
  text.end();
  await Promise.all([once(jsonl, "finish"), once(text, "finish")]);
}
