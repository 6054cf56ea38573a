import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { CommandContext } from "../../src/core/commands/command.js";
import { subscribeCommand } from "../../src/core/commands/subscribe.js";
import { ingestPapers } from "../../src/core/ingest/ingest-papers.js";
import { makePaper, type Paper } from "../../src/core/paper.js";
import { titleId } from "../../src/core/paper-id.js";
import { PAPER_LIMITS } from "../../src/core/paper-limits.js";
import type { Logger, Store } from "../../src/core/ports.js";
import { MAX_REF } from "../../src/core/refs.js";
import { createStore } from "../../src/db/store.js";
import { createFileSource } from "../../src/sources/file/file-source.js";
import { describeEachDatabase } from "../helpers/test-databases.js";
import { anyText, anyUrl, isWellFormed } from "./hostile-text.js";

const NOW = new Date("2026-03-02T08:00:00Z");
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "paperboy-limits-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A paper a broken or hostile source could send: every text huge or odd, every number out of range. */
const hostilePaper = fc
  .record({
    title: anyText.map((t) => `${t}x`),
    abstract: fc.oneof(anyText, fc.constant("a".repeat(100_000))),
    authors: fc.oneof(fc.array(anyText, { maxLength: 5 }), fc.constant(Array(10_000).fill("A. Author"))),
    categories: fc.array(anyText, { maxLength: 3 }),
    aiKeywords: fc.array(anyText, { maxLength: 3 }),
    aiSummary: fc.option(anyText, { nil: null }),
    codeUrl: fc.option(anyUrl, { nil: null }),
    hfUpvotes: fc.option(fc.oneof(fc.integer(), fc.double()), { nil: null }),
    githubStars: fc.option(fc.oneof(fc.integer(), fc.constant(1e12)), { nil: null }),
    featuredOn: fc.option(fc.oneof(fc.constant("2026-03-01"), anyText), { nil: null }),
    publishedAt: fc.option(fc.date({ noInvalidDate: false }), { nil: null }),
  })
  .map((fields) => makePaper({ ...fields, id: titleId(fields.title), source: "file" }));

function expectBounded(paper: Paper): void {
  const texts = [paper.title, paper.abstract, ...paper.authors, ...paper.categories, ...paper.aiKeywords];
  for (const text of texts) {
    expect(text).not.toContain("\0");
    expect(isWellFormed(text)).toBe(true);
  }
  expect(paper.title.length).toBeLessThanOrEqual(PAPER_LIMITS.title);
  expect(paper.abstract.length).toBeLessThanOrEqual(PAPER_LIMITS.abstract);
  expect(paper.authors.length).toBeLessThanOrEqual(PAPER_LIMITS.authors);
  expect((paper.aiSummary ?? "").length).toBeLessThanOrEqual(PAPER_LIMITS.aiSummary);
  expect((paper.codeUrl ?? "").length).toBeLessThanOrEqual(PAPER_LIMITS.url);
  for (const n of [paper.hfUpvotes, paper.githubStars]) {
    if (n !== null) expect(Number.isInteger(n) && n >= 0 && n <= 2_147_483_647).toBe(true);
  }
}

it("keeps a clipped title's id: the id of its full text", () => {
  const long = `Attention ${"and more ".repeat(500)}`;
  const paper = makePaper({ id: titleId(long), title: long, source: "file" });
  expect(paper.title.length).toBe(PAPER_LIMITS.title);
  expect(titleId(paper.title)).toBe(paper.id);
});

describeEachDatabase("stored strings stay within their limits", (t) => {
  let store: Store;
  beforeAll(() => {
    store = createStore(t.db);
  });

  it("stores any paper a source could make, clipped, and reads back what it stored", async () => {
    await fc.assert(
      fc.asyncProperty(hostilePaper, async (paper) => {
        expectBounded(paper);
        const { inserted } = await store.papers.upsert([paper], NOW);
        const stored = await store.papers.get(paper.id);
        expect(stored).not.toBeNull();
        // A paper of a title seen in an earlier run is merged with it instead.
        if (inserted === 1) {
          expect(stored?.title).toBe(paper.title);
          expect(stored?.abstract).toBe(paper.abstract);
          expect(stored?.authors).toEqual(paper.authors);
        }
      }),
      { numRuns: 30 },
    );
  });

  it("drops U+FEFF, which PGlite's reader would drop from the start of a value", async () => {
    const paper = makePaper({
      id: "2401.99999",
      title: "\ufeffByte order",
      abstract: "\ufeffMarks.",
      source: "file",
    });
    expect(paper.title).toBe("Byte order");
    await store.papers.upsert([paper], NOW);
    const stored = await store.papers.get(paper.id);
    expect([stored?.title, stored?.abstract]).toEqual(["Byte order", "Marks."]);
  });

  it("loads a JSONL file of an oversized paper clipped, with the rest of the file", async () => {
    const path = join(dir, "huge.jsonl");
    const huge = {
      title: `Huge \u0000 paper \ud800 ${"x".repeat(50_000)}`,
      abstract: "y ".repeat(100_000),
      authors: Array.from({ length: 20_000 }, (_, i) => `Author ${i}`),
      categories: ["cs.LG", "z".repeat(10_000)],
      codeUrl: `https://github.com/${"r".repeat(10_000)}`,
    };
    await writeFile(path, `${JSON.stringify(huge)}\n${JSON.stringify({ title: "A small paper" })}\n`);
    const loaded = await ingestPapers(store.papers, createFileSource(), { file: path }, NOW);
    expect(loaded).toMatchObject({ ok: true, value: { fetched: 2, inserted: 2 } });
    const paper = await store.papers.get(titleId(huge.title));
    expect(paper?.title.length).toBe(PAPER_LIMITS.title);
    expect(paper?.title.startsWith("Huge  paper \ufffd x")).toBe(true);
    expect(paper?.abstract.length).toBeLessThanOrEqual(PAPER_LIMITS.abstract);
    expect(paper?.authors).toHaveLength(PAPER_LIMITS.authors);
    expect(paper?.categories).toEqual(["cs.LG", "z".repeat(PAPER_LIMITS.category)]);
    expect(paper?.codeUrl).toBeNull();
  });

  it("refuses a record the database cannot hold, naming the line and field, and writes nothing", async () => {
    for (const [field, value, message] of [
      ["hfUpvotes", 1.5, /line 2: at hfUpvotes: expected a whole number/],
      ["githubStars", 1e12, /line 2: at githubStars: expected a whole number/],
      ["featuredOn", "yesterday", /line 2: at featuredOn: expected a day as YYYY-MM-DD/],
      ["publishedAt", "-005000-01-01T00:00:00Z", /line 2: at publishedAt: expected a date between/],
    ] as const) {
      const path = join(dir, `${field}.jsonl`);
      await writeFile(
        path,
        `${JSON.stringify({ title: `Good paper before ${field}` })}\n${JSON.stringify({ title: "Bad", [field]: value })}\n`,
      );
      const before = await store.papers.count();
      const loaded = await ingestPapers(store.papers, createFileSource(), { file: path }, NOW);
      expect(loaded, field).toMatchObject({ ok: false, error: expect.stringMatching(message) });
      expect(await store.papers.count(), field).toBe(before);
    }
  });

  it("refuses to subscribe a channel whose id no platform would send, and stores nothing", async () => {
    const context: CommandContext = {
      address: { platform: "slack", workspaceId: "T1", channelRef: "C".repeat(10_000) },
      userRef: "U1",
      isAdmin: true,
    };
    const deps = {
      store,
      clock: { now: () => NOW },
      logger: quiet,
      admins: [],
      defaults: { timezone: "UTC", digestTime: "09:00" },
    };
    const reply = await subscribeCommand.run(deps, context, {});
    expect(reply).toMatchObject({
      tone: "error",
      title: `This channel's id is longer than ${MAX_REF} characters; paperboy can't store it.`,
    });
    expect(await store.channels.find("slack", context.address.channelRef)).toBeNull();
    // A long channel name is only shown: clipped, and the channel subscribed.
    const named = { ...context, address: { ...context.address, channelRef: "C1", name: "n".repeat(10_000) } };
    expect((await subscribeCommand.run(deps, named, {})).tone).toBe("success");
    expect((await store.channels.find("slack", "C1"))?.name).toHaveLength(MAX_REF);
  });
});
