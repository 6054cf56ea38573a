import { afterEach, describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.js";
import type { Result } from "../../src/core/result.js";
import { createHuggingFaceSource } from "../../src/sources/huggingface/huggingface-source.js";
import {
  type FixtureServer,
  fixture,
  type Handler,
  refusedBaseUrl,
  send,
  startServer,
} from "./fixture-server.js";

const dailyPapers = fixture("hf_daily_papers.json");
const entries = JSON.parse(dailyPapers) as Array<{ paper: { id: string } }>;

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: Handler) {
  server = await startServer(handler);
  return server;
}

function sleepRecorder() {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms: number) => void sleeps.push(ms) };
}

function papers(result: Result<Paper[]>): Paper[] {
  if (!result.ok) throw new Error(`expected ok, got: ${result.error}`);
  return result.value;
}

/** n distinct entries built from the recorded ones, so paging has more than one page to walk. */
function manyEntries(n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => {
    const base = structuredClone(entries[i % entries.length]) as { paper: { id: string } };
    base.paper.id = `2609.${String(10000 + i)}`;
    return base;
  });
}

describe("huggingface source", () => {
  it("maps the recorded daily_papers listing", async () => {
    const { baseUrl, requests } = await serve((_, res) => send(res, 200, "application/json", dailyPapers));
    const source = createHuggingFaceSource({ baseUrl });
    const result = papers(await source.fetch({ date: "2026-08-11" }));

    expect(source.name).toBe("huggingface");
    expect(requests).toHaveLength(1);
    expect(requests[0]?.pathname).toBe("/api/daily_papers");
    expect(Object.fromEntries(requests[0]?.searchParams ?? [])).toEqual({
      date: "2026-08-11",
      limit: "100",
      p: "0",
    });

    expect(result.map((p) => p.id)).toEqual(["2608.09888", "2608.15089", "2608.14391"]);
    expect(result.map((p) => p.hfUpvotes)).toEqual([781, 447, 283]);
    const [first] = result;
    expect(first).toMatchObject({
      title: "BDH-CQ: In-Context Learning with Recurrent Latent Reasoning",
      absUrl: "https://arxiv.org/abs/2608.09888",
      pdfUrl: "https://arxiv.org/pdf/2608.09888",
      hfUrl: "https://huggingface.co/papers/2608.09888",
      codeUrl: "https://github.com/pathwaycom/arc-task-gen",
      projectUrl: "https://pathway.com/blog/pathway-150m-model-breaks-arc-agi-1-cost-efficiency-frontier",
      githubStars: 11184,
      featuredOn: "2026-08-11",
      source: "huggingface",
    });
    expect(first?.authors).toHaveLength(9);
    expect(first?.authors[0]).toBe("Björn Engdahl");
    expect(first?.abstract).toMatch(/^We introduce BDH-CQ, a reasoning model/);
    expect(first?.aiSummary).toMatch(/^A 150M-parameter reasoning model/);
    expect(first?.aiKeywords).toContain("recurrent latent reasoning");
    // paper.publishedAt (the arXiv day), not the entry's top-level listing time 2026-08-09T20:00Z.
    expect(first?.publishedAt?.toISOString()).toBe("2026-08-10T00:00:00.000Z");
    // Each entry carries its own submittedOnDailyAt; the requested day is only a fallback.
    expect(result.map((p) => p.featuredOn)).toEqual(["2026-08-11", "2026-08-18", "2026-08-17"]);
    expect(result[2]?.authors).toHaveLength(35);
    // The recorded summary carries arXiv's hard break and indent; papers read as one paragraph.
    expect(result[1]?.abstract).toContain("users can inspect together. On Terminal-Bench 2.1, StateM raises");
  });

  it("asks for a week or a month when request.date names one", async () => {
    const { baseUrl, requests } = await serve((_, res) => send(res, 200, "application/json", "[]"));
    const source = createHuggingFaceSource({ baseUrl });
    await source.fetch({ date: "2026-W33" });
    await source.fetch({ date: "2026-08", limit: 20 });

    expect(requests[0]?.searchParams.get("week")).toBe("2026-W33");
    expect(requests[0]?.searchParams.has("date")).toBe(false);
    expect(requests[1]?.searchParams.get("month")).toBe("2026-08");
    expect(requests[1]?.searchParams.get("limit")).toBe("20");
  });

  it("uses the requested day when an entry has no submittedOnDailyAt, and reads top-level-only entries", async () => {
    const [recorded] = JSON.parse(dailyPapers) as Array<{ paper: Record<string, unknown> }>;
    const { submittedOnDailyAt: _, ...paper } = recorded?.paper ?? {};
    const topLevelOnly = {
      id: "2608.15089",
      title: "  StateM:\n  Harness   Scaling ",
      summary: "s",
      extra: { x: 1 },
    };
    const body = JSON.stringify([{ paper }, topLevelOnly]);
    const { baseUrl } = await serve((_, res) => send(res, 200, "application/json", body));
    const result = papers(await createHuggingFaceSource({ baseUrl }).fetch({ date: "2026-08-12" }));

    expect(result[0]?.featuredOn).toBe("2026-08-12");
    expect(result[1]).toMatchObject({
      id: "2608.15089",
      title: "StateM: Harness Scaling",
      authors: [],
      hfUpvotes: null,
    });
  });

  it("pages with p until a short page comes back", async () => {
    const all = manyEntries(250);
    const { baseUrl, requests } = await serve((url, res) => {
      const limit = Number(url.searchParams.get("limit"));
      const page = Number(url.searchParams.get("p"));
      send(res, 200, "application/json", JSON.stringify(all.slice(page * limit, (page + 1) * limit)));
    });
    const result = papers(await createHuggingFaceSource({ baseUrl }).fetch({ date: "2026-08-11" }));

    expect(requests.map((r) => r.searchParams.get("p"))).toEqual(["0", "1", "2"]);
    expect(requests.every((r) => r.searchParams.get("limit") === "100")).toBe(true);
    expect(result).toHaveLength(250);
    expect(result[249]?.id).toBe("2609.10249");
  });

  it("stops paging at request.limit, keeping the page size fixed", async () => {
    const all = manyEntries(250);
    const { baseUrl, requests } = await serve((url, res) => {
      const limit = Number(url.searchParams.get("limit"));
      const page = Number(url.searchParams.get("p"));
      send(res, 200, "application/json", JSON.stringify(all.slice(page * limit, (page + 1) * limit)));
    });
    const result = papers(await createHuggingFaceSource({ baseUrl }).fetch({ limit: 150 }));

    expect(requests.map((r) => [r.searchParams.get("p"), r.searchParams.get("limit")])).toEqual([
      ["0", "100"],
      ["1", "100"],
    ]);
    expect(result.map((p) => p.id)).toEqual(
      all.slice(0, 150).map((e) => (e as { paper: { id: string } }).paper.id),
    );
  });

  it("stops when the server ignores p and repeats the same page", async () => {
    const page = JSON.stringify(manyEntries(100));
    const { baseUrl, requests } = await serve((_, res) => send(res, 200, "application/json", page));
    const result = papers(await createHuggingFaceSource({ baseUrl }).fetch({}));

    expect(requests).toHaveLength(2);
    expect(result).toHaveLength(100);
  });

  it("treats an empty listing (a weekend) as no papers", async () => {
    const { baseUrl } = await serve((_, res) => send(res, 200, "application/json", "[]"));
    expect(await createHuggingFaceSource({ baseUrl }).fetch({ date: "2026-08-15" })).toEqual({
      ok: true,
      value: [],
    });
  });

  it("waits Retry-After seconds on a 429, then succeeds", async () => {
    let calls = 0;
    const { baseUrl, requests } = await serve((_, res) => {
      calls++;
      if (calls === 1) res.writeHead(429, { "retry-after": "7" }).end("slow down");
      else send(res, 200, "application/json", dailyPapers);
    });
    const { sleeps, sleep } = sleepRecorder();
    const result = papers(await createHuggingFaceSource({ baseUrl, sleep }).fetch({ date: "2026-08-11" }));

    expect(sleeps).toEqual([7000]);
    expect(requests).toHaveLength(2);
    expect(result).toHaveLength(3);
  });

  it("gives up after maxRetries 429s with a message naming the URL and status", async () => {
    const { baseUrl, requests } = await serve((_, res) => res.writeHead(429, { "retry-after": "1" }).end());
    const { sleeps, sleep } = sleepRecorder();
    const result = await createHuggingFaceSource({ baseUrl, sleep, maxRetries: 2 }).fetch({
      date: "2026-08-11",
    });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain(`${baseUrl}/api/daily_papers?date=2026-08-11`);
    expect(result.error).toContain("429");
    expect(sleeps).toEqual([1000, 1000]);
    expect(requests).toHaveLength(3);
  });

  it("reports the recorded error body with URL and status", async () => {
    const body = fixture("hf_daily_papers_error_limit.json");
    const { baseUrl } = await serve((_, res) => send(res, 400, "application/json", body));
    const result = await createHuggingFaceSource({ baseUrl }).fetch({ date: "2026-08-11" });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/api\/daily_papers\?date=2026-08-11&limit=100&p=0 /,
    );
    expect(result.error).toContain("returned 400 Bad Request");
    expect(result.error).toContain("Too big: expected number to be <=100 → at limit");
  });

  it("treats an error body as an error even with a 200", async () => {
    const body = fixture("hf_daily_papers_error_limit.json");
    const { baseUrl } = await serve((_, res) => send(res, 200, "application/json", body));
    const result = await createHuggingFaceSource({ baseUrl }).fetch({});
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/returned 200 OK: .*Too big/) });
  });

  it("reports a non-2xx without a body by URL and status", async () => {
    const { baseUrl } = await serve((_, res) => res.writeHead(503).end());
    const result = await createHuggingFaceSource({ baseUrl }).fetch({});
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/daily_papers.* returned 503/) });
  });

  it("rejects an HTML page served instead of JSON", async () => {
    const html = "<!DOCTYPE html><html><body>Hugging Face – The AI community</body></html>";
    const { baseUrl } = await serve((_, res) => send(res, 200, "text/html; charset=utf-8", html));
    const result = await createHuggingFaceSource({ baseUrl }).fetch({});
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^expected JSON from .* got text\/html$/),
    });
  });

  it("rejects data that does not match the schema, saying where", async () => {
    const drifted = JSON.parse(dailyPapers) as Array<{ paper: Record<string, unknown> }>;
    if (drifted[1]) drifted[1].paper.upvotes = "447";
    const { baseUrl } = await serve((_, res) => send(res, 200, "application/json", JSON.stringify(drifted)));
    const result = await createHuggingFaceSource({ baseUrl }).fetch({});
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining("at [1].paper.upvotes") });
  });

  it("reports an unreachable host without throwing", async () => {
    const baseUrl = await refusedBaseUrl();
    const result = await createHuggingFaceSource({ baseUrl }).fetch({});
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^could not reach 127\.0\.0\.1:\d+: .*ECONNREFUSED/),
    });
  });

  it("refuses a malformed date without calling the API", async () => {
    const { baseUrl, requests } = await serve((_, res) => send(res, 200, "application/json", "[]"));
    const result = await createHuggingFaceSource({ baseUrl }).fetch({ date: "11/08/2026" });
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringContaining('unrecognized date "11/08/2026"'),
    });
    expect(requests).toHaveLength(0);
  });
});
