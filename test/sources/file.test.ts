import { createWriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.js";
import { titleId } from "../../src/core/paper-id.js";
import type { Result } from "../../src/core/result.js";
import { createFileSource } from "../../src/sources/file/file-source.js";
import { readJsonlPapers } from "../../src/sources/file/read-jsonl.js";
import { sources } from "../../src/sources/registry.js";
import { fixture, send, startServer } from "./fixture-server.js";

const fixturePath = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const samplePage = fileURLToPath(new URL("../../samples/hf-papers-page.txt", import.meta.url));
const source = createFileSource();

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "paperboy-file-source-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function tempFile(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

function papers(result: Result<Paper[]>): Paper[] {
  if (!result.ok) throw new Error(`expected ok, got: ${result.error}`);
  return result.value;
}

const bdh = {
  arxivId: "2608.09888",
  title: "BDH-CQ: In-Context Learning with Recurrent Latent Reasoning",
  abstract:
    "We introduce BDH-CQ, a reasoning model that combines in-context learning with recurrent latent reasoning.",
  authors: ["Björn Engdahl", "Adrian Kosowski"],
};
const deja = {
  url: "https://arxiv.org/abs/2002.00741v1",
  title: "Déjà vu: A Contextualized Temporal Attention Mechanism for Sequential Recommendation",
  authors: "Jibang Wu, Renqin Cai and Hongning Wang",
  publishedAt: "2020-01-29T20:27:42Z",
};
const noArxiv = { title: "A paper with no arXiv id", abstract: "Only on a blog." };

describe("file source: recognized formats", () => {
  it("reads a saved HF daily_papers response", async () => {
    const result = papers(await source.fetch({ file: fixturePath("hf_daily_papers.json") }));
    expect(source.name).toBe("file");
    expect(result.map((p) => [p.id, p.hfUpvotes])).toEqual([
      ["2608.09888", 781],
      ["2608.15089", 447],
      ["2608.14391", 283],
    ]);
    expect(result[0]).toMatchObject({ githubStars: 11184, source: "file" });
    expect(result[0]?.authors).toHaveLength(9);
  });

  it("reads a saved arXiv feed, even named .txt", async () => {
    const path = await tempFile("listing.txt", fixture("arxiv_query.atom"));
    const result = papers(await source.fetch({ file: path }));
    expect(result.map((p) => p.id)).toEqual(["2002.00741", "1102.2017", "1112.2954"]);
    expect(result[0]?.categories).toEqual(["cs.IR", "cs.CL", "cs.LG"]);
  });

  it("reads a JSON array of paper-like objects", async () => {
    const path = await tempFile("papers.json", JSON.stringify([bdh, deja, noArxiv], null, 2));
    const result = papers(await source.fetch({ file: path }));

    expect(result.map((p) => p.id)).toEqual(["2608.09888", "2002.00741", titleId(noArxiv.title)]);
    expect(result[0]).toMatchObject({
      abstract: bdh.abstract,
      authors: bdh.authors,
      absUrl: "https://arxiv.org/abs/2608.09888",
    });
    // The abs link is rebuilt from the id without its version, as the other sources do.
    expect(result[1]).toMatchObject({
      authors: ["Jibang Wu", "Renqin Cai", "Hongning Wang"],
      absUrl: "https://arxiv.org/abs/2002.00741",
    });
    expect(result[1]?.publishedAt?.toISOString()).toBe("2020-01-29T20:27:42.000Z");
    expect(result[2]).toMatchObject({ absUrl: null, pdfUrl: null, source: "file" });
  });

  it("reads JSONL, whatever the extension", async () => {
    const path = await tempFile(
      "papers.json",
      `${[bdh, deja, noArxiv].map((p) => JSON.stringify(p)).join("\n")}\n`,
    );
    const result = papers(await source.fetch({ file: path, limit: 2 }));
    expect(result.map((p) => p.title)).toEqual([bdh.title, deja.title]);
  });

  it("reads a copied text page", async () => {
    const result = papers(await source.fetch({ file: samplePage }));
    expect(result).toHaveLength(100);
    expect(result[99]?.title).toBe("Unified Functional Hashing in Automatic Machine Learning");
  });
});

describe("file source: refusals", () => {
  it("rejects a whole JSONL file over one bad line, naming the line", async () => {
    const lines = [
      JSON.stringify(bdh),
      JSON.stringify(deja),
      '{"title": "unterminated',
      JSON.stringify(noArxiv),
    ];
    const path = await tempFile("bad.jsonl", lines.join("\n"));
    const result = await source.fetch({ file: path });
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringContaining(`${path}: JSONL line 3: not valid JSON`),
    });
  });

  it("rejects a paper record without a title, saying which item", async () => {
    const path = await tempFile("untitled.json", JSON.stringify([bdh, { abstract: "no title" }]));
    const result = await source.fetch({ file: path });
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringContaining("JSON array item 2 of 2: at title:"),
    });
  });

  it("reports the saved arXiv error feed and HF error body", async () => {
    expect(await source.fetch({ file: fixturePath("arxiv_query_error_docs_example.atom") })).toMatchObject({
      ok: false,
      error: expect.stringContaining("arXiv API error: incorrect id format for 1234.12345"),
    });
    expect(await source.fetch({ file: fixturePath("hf_daily_papers_error_limit.json") })).toMatchObject({
      ok: false,
      error: expect.stringContaining("Hugging Face returned an error: ✖ Too big"),
    });
  });

  it("says a missing file is missing", async () => {
    const path = join(dir, "nope.json");
    expect(await source.fetch({ file: path })).toEqual({ ok: false, error: `file not found: ${path}` });
  });

  it("refuses an empty file, binary junk, HTML and unrecognized text with what it expected", async () => {
    const cases: Array<[string, string | Uint8Array, RegExp]> = [
      ["empty.json", " \n", /the file is empty; expected HF daily_papers JSON, arXiv Atom/],
      [
        "junk.bin",
        new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
        /is binary, not text/,
      ],
      ["latin1.txt", new Uint8Array([0x54, 0xe9, 0xe9, 0x74]), /is binary, not text/],
      [
        "page.html",
        "<!DOCTYPE html><html></html>",
        /unknown format: expected arXiv Atom .* found an HTML page/,
      ],
      ["notes.txt", "Buy milk.\n\nCall Bob.", /unknown format: not JSON or XML.*no papers found/],
      ["config.json", '{"name": "paperboy"}', /found a JSON object that is not a paper/],
    ];
    for (const [name, content, expected] of cases) {
      const result = await source.fetch({ file: await tempFile(name, content) });
      expect(result, name).toMatchObject({ ok: false, error: expect.stringMatching(expected) });
    }
  });

  it("says a directory is not a file", async () => {
    expect(await source.fetch({ file: dir })).toEqual({
      ok: false,
      error: `${dir} is a directory, not a file`,
    });
  });
});

describe("readJsonlPapers", () => {
  it("streams a large file line by line, reporting bad lines and carrying on", async () => {
    const path = join(dir, "bulk.jsonl");
    const out = createWriteStream(path);
    for (let i = 0; i < 20_000; i++) {
      out.write(
        i === 12_344
          ? "not json\n"
          : `${JSON.stringify({ id: `2609.${10000 + (i % 90000)}`, title: `Paper ${i}` })}\n`,
      );
    }
    await new Promise((resolve) => out.end(resolve));

    let good = 0;
    const errors: string[] = [];
    for await (const result of readJsonlPapers(path)) {
      if (result.ok) good++;
      else errors.push(result.error);
    }
    expect(good).toBe(19_999);
    expect(errors).toEqual([expect.stringContaining(`${path} line 12345: not valid JSON`)]);
  });

  it("yields one error for a missing file", async () => {
    const results = [];
    for await (const result of readJsonlPapers(join(dir, "missing.jsonl"))) results.push(result);
    expect(results).toEqual([{ ok: false, error: `file not found: ${join(dir, "missing.jsonl")}` }]);
  });
});

describe("source registry", () => {
  it("builds each source by name from one config", async () => {
    const server = await startServer((_, res) =>
      send(res, 200, "application/json", fixture("hf_daily_papers.json")),
    );
    try {
      const config = { hfBaseUrl: server.baseUrl, arxivBaseUrl: `${server.baseUrl}/api/query` };
      expect(Object.keys(sources)).toEqual(["huggingface", "arxiv", "file"]);
      expect(sources.arxiv(config).name).toBe("arxiv");
      expect(sources.file(config).name).toBe("file");
      const result = papers(await sources.huggingface(config).fetch({ date: "2026-08-11" }));
      expect(result).toHaveLength(3);
      expect(server.requests[0]?.pathname).toBe("/api/daily_papers");
    } finally {
      await server.close();
    }
  });
});
