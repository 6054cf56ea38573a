import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.js";
import type { Store } from "../../src/core/ports.js";
import { createEmbeddingsClient } from "../../src/core/search/embeddings-client.js";
import { LiveSearchIndex } from "../../src/core/search/live-search-index.js";
import { PaperEmbedder } from "../../src/core/search/paper-embedder.js";
import { searchPapers } from "../../src/core/search/search-papers.js";
import { SemanticReranker } from "../../src/core/search/semantic-rerank.js";
import type { Database } from "../../src/db/client.js";
import { createPaperVectorStore } from "../../src/db/paper-vector-store.js";
import { createStore } from "../../src/db/store.js";
import { openVectorDatabase, type VectorDatabase } from "../../src/db/vector-database.js";
import { embeddingsEmulator, SHRINKING, warningLogger } from "../helpers/meaning-tests.js";
import { samplePapers } from "../helpers/sample-papers.js";
import { describeEachDatabase } from "../helpers/test-databases.js";

const NOW = new Date("2026-01-15T00:00:00Z");
const { logger, warnings } = warningLogger();
const emulator = embeddingsEmulator();

describeEachDatabase("finding papers by meaning with pgvector", (t) => {
  let store: Store;
  let sample: Paper[];
  let hasPgvector = true;
  /** Where the vectors are: the server's database itself, or the embedded default's own PGlite. */
  let vectors: VectorDatabase;
  let vectorDb: Database;
  const client = (model = "toy-embed") =>
    createEmbeddingsClient({ baseUrl: emulator.baseUrl, model, apiKey: "sk-test", timeoutMs: 5_000 });
  /** An embedder started, its first backfill done (or given up). */
  const backfilled = async (model = "toy-embed") => {
    const embedder = new PaperEmbedder({
      client: client(model),
      vectors: store.vectors,
      logger,
      batch: 30,
      retryMs: 50,
    });
    embedder.start();
    await embedder.settled();
    return embedder;
  };
  const stored = async () =>
    (await vectorDb.rows<{ id: string }>(sql`select paper_id as id from paper_vectors`)).map((row) => row.id);
  const columnType = async () =>
    (
      await vectorDb.rows<{ type: string }>(
        sql`select format_type(atttypid, atttypmod) as type from pg_attribute
            where attrelid = 'paper_vectors'::regclass and attname = 'embedding'`,
      )
    )[0]?.type;

  beforeAll(async () => {
    sample = await samplePapers();
    vectors = await openVectorDatabase(t.db);
    vectorDb = vectors.db;
    const [row] = await vectorDb.rows<{ n: number }>(
      sql`select count(*)::int as n from pg_available_extensions where name = 'vector'`,
    );
    hasPgvector = row?.n === 1;
  });
  afterAll(() => vectors.close());
  beforeEach(async () => {
    store = { ...createStore(t.db), vectors: createPaperVectorStore(t.db, async () => vectors) };
    if (hasPgvector) await vectorDb.exec("drop table if exists paper_vectors");
    await store.papers.upsert(sample, NOW);
    emulator.mode = "normal";
    emulator.embeddingRequests.length = 0;
    warnings.length = 0;
  });

  it("embeds every paper once, in batches, and the papers stored later when woken", async () => {
    const embedder = await backfilled();
    if (!hasPgvector) {
      // A server without pgvector: nothing is embedded, the log says what to install, searches rerank.
      expect(embedder.ready).toBe(false);
      expect(warnings).toContain("papers are not embedded; searches rerank text matches by meaning only");
      expect(emulator.embeddingRequests.map((r) => r.input.length)).toEqual([1]);
      return;
    }
    expect(embedder.ready).toBe(true);
    expect((await stored()).sort()).toEqual(sample.map((p) => p.id).sort());
    // One probe for the model's size, then 30 papers per request.
    expect(emulator.embeddingRequests.map((r) => r.input.length)).toEqual([1, 30, 30, 30, 10]);

    embedder.wake();
    await embedder.settled();
    expect(emulator.embeddingRequests).toHaveLength(5);

    const late = { ...(sample[0] as Paper), id: "2612.00001", title: "Pruning transformers to a tenth" };
    await store.papers.upsert([late], NOW);
    embedder.wake();
    await embedder.settled();
    expect(emulator.embeddingRequests.slice(5).map((r) => r.input)).toEqual([
      [`${late.title}\n${late.abstract}`.slice(0, 1_500)],
    ]);
    expect(await stored()).toContain(late.id);
    await embedder.stop();
  });

  it("finds papers that share no word with the query, after the clear text matches", async (context) => {
    if (!hasPgvector) return context.skip();
    const embedder = await backfilled();
    const index = new LiveSearchIndex({ store: store.papers, logger, pollMs: 0 });
    await index.start();
    const search = (semantic?: SemanticReranker) =>
      searchPapers(store.papers, "shrink tiny", { limit: 5, index, now: NOW, semantic });
    const text = (await search()).papers;
    const candidates = new Set(
      (await searchPapers(store.papers, "shrink tiny", { limit: 15, index, now: NOW })).papers.map(
        (p) => p.id,
      ),
    );
    const rerankOnly = (await search(new SemanticReranker(client(), logger))).papers;
    const withVectors = (await search(new SemanticReranker(client(), logger, embedder))).papers;

    // The words find three papers; reranking can only reorder those.
    expect(text).toHaveLength(3);
    expect(rerankOnly.map((p) => p.id).sort()).toEqual(text.map((p) => p.id).sort());
    // The vectors add papers on making models smaller that the words did not find, below the text matches.
    const found = withVectors.filter((p) => !candidates.has(p.id));
    expect(found.length).toBeGreaterThan(0);
    for (const paper of found) expect(SHRINKING.test(`${paper.title} ${paper.abstract}`)).toBe(true);
    expect(candidates.has(withVectors[0]?.id ?? "")).toBe(true);
    expect(withVectors).toHaveLength(5);
    await index.stop();
    await embedder.stop();
  });

  it("replaces another model's vectors, and drops a paper's vector with the paper", async () => {
    if (!hasPgvector) {
      const prepared = await store.vectors.prepare("toy-embed", 64);
      expect(prepared.ok ? "" : prepared.error).toMatch(/no pgvector: install it/);
      return;
    }
    const first = await backfilled();
    await t.db.exec(`delete from papers where id = '${sample[1]?.id}'`);
    // With the paper (foreign key on a server; pruned after the next pass when kept apart).
    first.wake();
    await first.settled();
    await first.stop();
    expect(await stored()).toHaveLength(99);
    expect(await stored()).not.toContain(sample[1]?.id);
    // Same size, other model: its vectors replace the old ones, none of which are comparable.
    const second = await backfilled("toy-embed-2");
    const models = await vectorDb.rows<{ model: string; n: number }>(
      sql`select model, count(*)::int as n from paper_vectors group by model`,
    );
    expect(models).toEqual([{ model: "toy-embed-2", n: 99 }]);
    // Another size: the table is made again for it.
    expect((await store.vectors.prepare("wide", 128)).ok).toBe(true);
    expect(await stored()).toEqual([]);
    expect(await columnType()).toBe("vector(128)");
    // Past HNSW's 2,000 dimensions for full precision, half precision (up to 4,000); beyond, a reason.
    expect((await store.vectors.prepare("large", 3_072)).ok).toBe(true);
    expect(await columnType()).toBe("halfvec(3072)");
    const huge = await store.vectors.prepare("huge", 4_096);
    expect(huge.ok ? "" : huge.error).toBe(
      "the model's vectors have 4096 dimensions; pgvector indexes up to 4000",
    );
    await second.stop();
  });

  it("retries a failing endpoint with backoff and then fills in", async (context) => {
    if (!hasPgvector) return context.skip();
    const embedder = await backfilled();
    await vectorDb.exec("delete from paper_vectors");
    emulator.mode = "failing";
    embedder.wake();
    await embedder.settled();
    expect(warnings).toContain("embedding papers failed; trying again later");
    expect(await stored()).toEqual([]);
    emulator.mode = "normal";
    // The retry comes by itself, 50 ms later.
    await expect.poll(async () => (await stored()).length, { timeout: 5_000 }).toBe(100);
    await embedder.stop();
  });
});
