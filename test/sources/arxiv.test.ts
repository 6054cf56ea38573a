import { afterEach, describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.js";
import type { Result } from "../../src/core/result.js";
import { createArxivSource } from "../../src/sources/arxiv/arxiv-source.js";
import { parseArxivAtom } from "../../src/sources/arxiv/parse-atom.js";
import {
  type FixtureServer,
  fixture,
  type Handler,
  refusedBaseUrl,
  send,
  startServer,
} from "./fixture-server.js";

const ATOM = "application/atom+xml; charset=utf-8";
const query = fixture("arxiv_query.atom");
const docsExample = fixture("arxiv_query_docs_example.atom");
const errorFeed = fixture("arxiv_query_error_docs_example.atom");
const emptyFeed = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <title>arXiv Query: search_query=cat:cs.LG</title>
  <opensearch:totalResults>0</opensearch:totalResults>
</feed>`;

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: Handler) {
  server = await startServer(handler);
  return { ...server, apiUrl: `${server.baseUrl}/api/query` };
}

function papers(result: Result<Paper[]>): Paper[] {
  if (!result.ok) throw new Error(`expected ok, got: ${result.error}`);
  return result.value;
}

describe("arxiv source", () => {
  it("turns categories and a day into search_query and parses the recorded feed", async () => {
    const { apiUrl, requests } = await serve((_, res) => send(res, 200, ATOM, query));
    const source = createArxivSource({ baseUrl: apiUrl, minIntervalMs: 0 });
    const result = papers(await source.fetch({ query: "cs.LG cs.CL", date: "2026-03-25", limit: 3 }));

    expect(source.name).toBe("arxiv");
    expect(requests[0]?.pathname).toBe("/api/query");
    expect(Object.fromEntries(requests[0]?.searchParams ?? [])).toEqual({
      search_query: "(cat:cs.LG OR cat:cs.CL) AND submittedDate:[202603250000 TO 202603252359]",
      sortBy: "submittedDate",
      sortOrder: "descending",
      start: "0",
      max_results: "3",
    });

    expect(result.map((p) => p.id)).toEqual(["2002.00741", "1102.2017", "1112.2954"]);
    const [first] = result;
    expect(first).toMatchObject({
      title: "Déjà vu: A Contextualized Temporal Attention Mechanism for Sequential Recommendation",
      authors: ["Jibang Wu", "Renqin Cai", "Hongning Wang"],
      categories: ["cs.IR", "cs.CL", "cs.LG"],
      absUrl: "https://arxiv.org/abs/2002.00741v1",
      pdfUrl: "https://arxiv.org/pdf/2002.00741v1",
      source: "arxiv",
      featuredOn: null,
    });
    expect(first?.publishedAt?.toISOString()).toBe("2020-01-29T20:27:42.000Z");
    // The recorded summary has a hard break and indent before "In this paper"; it must read as one line.
    expect(first?.abstract).toContain("current prediction. In this paper, we argue");
    expect(result.every((p) => !/\s{2}|\n/.test(p.title + p.abstract))).toBe(true);
    // The DOI link is neither the abs nor the pdf link.
    expect(result[2]?.pdfUrl).toBe("https://arxiv.org/pdf/1112.2954v2");
  });

  it("sends a free query as all: terms, with 100 results by default", async () => {
    const { apiUrl, requests } = await serve((_, res) => send(res, 200, ATOM, query));
    await createArxivSource({ baseUrl: apiUrl, minIntervalMs: 0 }).fetch({ query: "attention mechanism" });
    expect(requests[0]?.searchParams.get("search_query")).toBe("all:attention AND all:mechanism");
    expect(requests[0]?.searchParams.get("max_results")).toBe("100");
  });

  it("parses the classic docs feed: old-style id, folded title and abstract", async () => {
    const { apiUrl } = await serve((_, res) => send(res, 200, ATOM, docsExample));
    const [paper] = papers(
      await createArxivSource({ baseUrl: apiUrl, minIntervalMs: 0 }).fetch({ query: "hep-ex" }),
    );

    expect(paper).toMatchObject({
      id: "hep-ex/0307015",
      title: "Multi-Electron Production at High Transverse Momenta in ep Collisions at HERA",
      authors: ["H1 Collaboration"],
      categories: ["hep-ex"],
      absUrl: "http://arxiv.org/abs/hep-ex/0307015v1",
      pdfUrl: "http://arxiv.org/pdf/hep-ex/0307015v1",
    });
    expect(paper?.abstract).toMatch(
      /^Multi-electron production is studied at high electron transverse momentum in positron-/,
    );
    expect(paper?.abstract).toMatch(/of 0\.30 \\pm 0\.04 and 0\.23 \\pm 0\.04, respectively\.$/);
  });

  it("reports the error feed's message, with the status when arXiv sends 400", async () => {
    const { apiUrl } = await serve((_, res) => send(res, 400, ATOM, errorFeed));
    const result = await createArxivSource({ baseUrl: apiUrl, minIntervalMs: 0 }).fetch({ query: "cs.LG" });
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/returned 400 Bad Request: .*/) });
    expect(result).toMatchObject({
      error: expect.stringContaining("arXiv API error: incorrect id format for 1234.12345"),
    });
  });

  it("reports the error feed even when it comes with a 200", () => {
    expect(parseArxivAtom(errorFeed)).toEqual({
      ok: false,
      error: "arXiv API error: incorrect id format for 1234.12345",
    });
  });

  it("accepts an empty 200 feed as no papers", async () => {
    const { apiUrl } = await serve((_, res) => send(res, 200, ATOM, emptyFeed));
    const result = await createArxivSource({ baseUrl: apiUrl, minIntervalMs: 0 }).fetch({ query: "cs.LG" });
    expect(result).toEqual({ ok: true, value: [] });
  });

  it("rejects an HTML page and a bare 503", async () => {
    const html = "<!DOCTYPE html><html><head><title>arXiv</title></head><body>Down</body></html>";
    const { apiUrl } = await serve((url, res) =>
      url.searchParams.get("search_query") === "cat:cs.LG"
        ? send(res, 200, "text/html", html)
        : res.writeHead(503).end(),
    );
    const source = createArxivSource({ baseUrl: apiUrl, minIntervalMs: 0 });
    expect(await source.fetch({ query: "cs.LG" })).toMatchObject({
      ok: false,
      error: "expected an Atom <feed>, got <html>",
    });
    expect(await source.fetch({ query: "cs.CL" })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/search_query=cat%3Acs\.CL.* returned 503/),
    });
  });

  it("reports an unreachable host without throwing", async () => {
    const baseUrl = await refusedBaseUrl();
    const result = await createArxivSource({ baseUrl: `${baseUrl}/api/query`, minIntervalMs: 0 }).fetch({
      query: "cs.LG",
    });
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^could not reach 127\.0\.0\.1:\d+: .*ECONNREFUSED/),
    });
  });

  it("needs a query or a date, and refuses a malformed date", async () => {
    const source = createArxivSource({ baseUrl: "http://127.0.0.1:9/", minIntervalMs: 0 });
    expect(await source.fetch({})).toMatchObject({
      ok: false,
      error: expect.stringContaining("arXiv needs a query"),
    });
    expect(await source.fetch({ query: "cs.LG", date: "yesterday" })).toMatchObject({
      ok: false,
      error: expect.stringContaining('unrecognized date "yesterday"'),
    });
  });

  it("sends one request at a time per source instance", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const { apiUrl, requests } = await serve(async (_, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Hold each response long enough that unqueued requests would overlap.
      await new Promise((resolve) => setTimeout(resolve, 50));
      inFlight--;
      send(res, 200, ATOM, query);
    });
    const source = createArxivSource({ baseUrl: apiUrl, minIntervalMs: 1 });
    const results = await Promise.all(["cs.LG", "cs.CL", "cs.AI"].map((q) => source.fetch({ query: q })));

    expect(results.every((r) => r.ok)).toBe(true);
    expect(requests.map((r) => r.searchParams.get("search_query"))).toEqual([
      "cat:cs.LG",
      "cat:cs.CL",
      "cat:cs.AI",
    ]);
    expect(maxInFlight).toBe(1);
  });
});

describe("parseArxivAtom", () => {
  it("rejects text that is not XML", () => {
    expect(parseArxivAtom("Rate exceeded.")).toEqual({
      ok: false,
      error: 'expected arXiv Atom XML, got text starting "Rate exceeded."',
    });
  });

  it("rejects a feed cut off mid-transfer instead of returning fewer papers", () => {
    const cut = query.slice(0, query.indexOf("<entry>", query.indexOf("<entry>") + 1) + 200);
    expect(parseArxivAtom(cut)).toMatchObject({ ok: false, error: expect.stringContaining("cut short") });
  });
});
