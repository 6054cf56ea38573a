import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { ingestStream } from "../../src/core/ingest/ingest-stream.js";
import { makePaper } from "../../src/core/paper.js";
import { titleId } from "../../src/core/paper-id.js";
import { createStore } from "../../src/db/store.js";
import { readJsonlPapers } from "../../src/sources/file/read-jsonl.js";
import { paperBatches } from "../helpers/paper-batches.js";
import { describeEachDatabase } from "../helpers/test-databases.js";

const NOW = new Date("2026-01-15T00:00:00Z");
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "paperboy-bulk-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const line = (i: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: `2402.${String(i).padStart(5, "0")}`,
    title: `Paper ${i}: compression of "quotes", {braces} and \\ backslashes`,
    abstract: `Line one\nline two about quantization number ${i}.`,
    authors: ["A. Author", 'B. "Quoted" Author'],
    categories: ["cs.LG"],
    hfUpvotes: i,
    ...extra,
  });

describeEachDatabase("streaming a JSONL file into the library", (t) => {
  const load = (name: string, lines: string[], limit?: number) => {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join("\n")}\n`);
    return ingestStream(createStore(t.db).papers, "file", () => readJsonlPapers(path), NOW, { limit });
  };
  const count = async () =>
    Number((await t.db.rows<{ n: number }>(sql`select count(*)::int as n from papers`))[0]?.n);

  it("loads every line in batches, merging repeated papers, with text intact", async () => {
    const lines = Array.from({ length: 12_001 }, (_, i) => line(i));
    lines.push(line(5, { abstract: "A much longer abstract that should win the merge, about pruning." }));
    const result = await load("papers.jsonl", lines);
    expect(result).toMatchObject({ ok: true, value: { fetched: 12_002, inserted: 12_001, updated: 1 } });
    expect(await count()).toBe(12_001);
    const paper = await createStore(t.db).papers.get("2402.00007");
    expect(paper?.title).toBe('Paper 7: compression of "quotes", {braces} and \\ backslashes');
    expect(paper?.abstract).toBe("Line one line two about quantization number 7.");
    expect(paper?.authors).toEqual(["A. Author", 'B. "Quoted" Author']);
    expect((await createStore(t.db).papers.get("2402.00005"))?.abstract).toMatch(/pruning/);
    const [terms] = await t.db.rows<{ docs: number }>(
      sql`select docs from search_terms where word = 'quantization'`,
    );
    expect(Number(terms?.docs)).toBe(12_001);
  });

  it("writes nothing when a line is bad, however far in, and says which", async () => {
    // Past the first two batches, which the server would be merging by then.
    const lines = Array.from({ length: 25_000 }, (_, i) => line(i));
    lines[24_500] = '{"title": ';
    const result = await load("bad.jsonl", lines);
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.error).toMatch(/line 24501/);
    expect(await count()).toBe(0);
  });

  it("keeps the batches stored before a failure, and a second load finishes without doubling", async () => {
    const store = createStore(t.db).papers;
    const papers = Array.from({ length: 40 }, (_, i) =>
      makePaper({
        id: `2403.${String(i).padStart(5, "0")}`,
        title: `Zanzibarine paper ${i}`,
        source: "test",
      }),
    );
    const failing = paperBatches(papers, 10, (start) => {
      if (start === 30) throw new Error("the source broke");
    });
    await expect(store.bulkUpsert(failing, NOW)).rejects.toThrow("the source broke");
    // The server stores batch by batch; PGlite takes the stream in one transaction.
    const kept = t.url !== undefined ? 30 : 0;
    expect(await count()).toBe(kept);
    expect(await store.bulkUpsert(paperBatches(papers, 10), NOW)).toEqual({
      inserted: 40 - kept,
      updated: kept,
    });
    expect(await count()).toBe(40);
    const [terms] = await t.db.rows<{ docs: number }>(
      sql`select docs from search_terms where word = 'zanzibarine'`,
    );
    expect(Number(terms?.docs)).toBe(40);
  });

  it("merges a paper known by its title into the arXiv id a later line gives it", async () => {
    const store = createStore(t.db).papers;
    await store.upsert(
      [
        {
          ...makePaper({
            id: titleId("Sparse attention kernels"),
            title: "Sparse attention kernels",
            source: "test",
          }),
        },
      ],
      NOW,
    );
    const result = await load("rekey.jsonl", [
      JSON.stringify({ title: "Sparse Attention Kernels", abstract: "again, by title only" }),
      JSON.stringify({
        id: "2402.99999",
        title: "Sparse attention kernels",
        abstract: "Fast sparse attention.",
      }),
    ]);
    expect(result).toMatchObject({ ok: true });
    const rows = await t.db.rows<{ id: string }>(sql`select id from papers`);
    expect(rows.map((r) => r.id)).toEqual(["2402.99999"]);
    const [removed] = await t.db.rows<{ id: string }>(sql`select id from paper_removals`);
    expect(removed?.id).toBe(titleId("Sparse attention kernels"));
  });

  it("stops at the limit", async () => {
    const result = await load(
      "limited.jsonl",
      Array.from({ length: 50 }, (_, i) => line(i)),
      10,
    );
    expect(result).toMatchObject({ ok: true, value: { fetched: 10, inserted: 10 } });
    expect(await count()).toBe(10);
  });
});
