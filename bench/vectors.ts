/**
 * Finding papers by meaning in the database: `nearest` of the paper vector store (pgvector HNSW over
 * halfvec) beside an exact scan of the same vectors in the same run (index scans turned off), with the
 * index's recall of the exact 15; and how fast the store takes vectors (fillMissing, 64 per batch,
 * the embeddings call answered in process). On PGlite, or on the server at BENCH_DATABASE_URL when it
 * has pgvector. BENCH_VECTOR_PAPERS (default 20,000; quick: 2,000), BENCH_VECTOR_DIMS (default 384).
 * The vectors are synthetic but clustered like real embeddings: 200 topics, each paper its topic's
 * direction plus noise (uniform random vectors have no true neighbours to find).
 */
import { sql } from "drizzle-orm";
import { ok } from "../src/core/result.js";
import { createPaperVectorStore } from "../src/db/paper-vector-store.js";
import { createStore } from "../src/db/store.js";
import { openVectorDatabase } from "../src/db/vector-database.js";
import { benchDatabase, percentile } from "./bench-database.js";
import { syntheticPapers } from "./synthetic-papers.js";

const size = Number(process.env.BENCH_VECTOR_PAPERS ?? (process.env.BENCH_QUICK ? 2_000 : 20_000));
const dims = Number(process.env.BENCH_VECTOR_DIMS ?? 384);
const queries = 100;
const TOPICS = 200;
const K = 15;

let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const gaussian = () => Math.sqrt(-2 * Math.log(random() || 1e-9)) * Math.cos(2 * Math.PI * random());
const unit = (v: Float32Array) => {
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
};
const topics = Array.from({ length: TOPICS }, () => unit(Float32Array.from({ length: dims }, gaussian)));
/** A direction near a topic: the topic plus noise about as large as the topic itself. */
const near = (topic: number) => {
  const base = topics[topic] as Float32Array;
  return unit(base.map((x) => x + gaussian() / Math.sqrt(dims)));
};

const { db, label, close } = await benchDatabase("vectors");
// Embedded, the vectors have a PGlite of their own (src/db/pglite-extensions.ts says why).
const vectors = await openVectorDatabase(db);
const store = { ...createStore(db), vectors: createPaperVectorStore(db, async () => vectors) };
const [has] = await vectors.db.rows<{ n: number }>(
  sql`select count(*)::int as n from pg_available_extensions where name = 'vector'`,
);
if (!has?.n) {
  console.log(`vectors — ${label} has no pgvector: nothing to measure (searches rerank text matches only)`);
  await close();
  process.exit(0);
}

const paper = await syntheticPapers();
async function* batches() {
  for (let i = 0; i < size; i += 1_000)
    yield Array.from({ length: Math.min(1_000, size - i) }, (_, j) => paper(i + j));
}
await store.papers.bulkUpsert(batches(), new Date());
const prepared = await store.vectors.prepare("bench", dims);
if (!prepared.ok) throw new Error(prepared.error);

let stored = 0;
let after = "";
const fillStart = performance.now();
for (;;) {
  const filled = await store.vectors.fillMissing(after, 64, async (papers) =>
    ok(papers.map((_, i) => near((stored + i) % TOPICS))),
  );
  if (!filled.ok) throw new Error(filled.error);
  stored += filled.value.stored;
  if (filled.value.last === null) break;
  after = filled.value.last;
}
const fillS = (performance.now() - fillStart) / 1000;

const literal = (v: Float32Array) => `[${Array.from(v).join(",")}]`;
const exact = async (v: Float32Array) =>
  vectors.db.orm.transaction(async (tx) => {
    await tx.execute(sql`set local enable_indexscan = off`);
    const result = await tx.execute(
      sql`select paper_id as id from paper_vectors order by embedding <#> ${literal(v)}::vector limit ${K}`,
    );
    return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { id: string }[];
  });

const times = { index: [] as number[], exact: [] as number[] };
let recalled = 0;
for (let q = 0; q < queries + 1; q++) {
  const v = near(Math.floor(random() * TOPICS));
  let start = performance.now();
  const approximate = await store.vectors.nearest(v, K);
  const indexMs = performance.now() - start;
  start = performance.now();
  const truth = await exact(v);
  const exactMs = performance.now() - start;
  // The first query of each warms caches; it is not counted.
  if (q === 0) continue;
  times.index.push(indexMs);
  times.exact.push(exactMs);
  const found = new Set(approximate.map((n) => n.id));
  recalled += truth.filter((t) => found.has(t.id)).length;
}
const [ix, ex] = [times.index.sort((a, b) => a - b), times.exact.sort((a, b) => a - b)];
const ms = (x: number) => x.toFixed(1);
console.log(
  `vectors — ${label}, ${size.toLocaleString("en-US")} papers × ${dims} dimensions (${dims <= 2_000 ? "vector" : "halfvec"})`,
);
console.log(
  `  stored: ${Math.round(stored / fillS).toLocaleString("en-US")} vectors/s (${fillS.toFixed(1)} s, into the HNSW index)`,
);
console.log(
  `  nearest 15, ${queries} queries: HNSW p50 ${ms(percentile(ix, 50))} ms, p95 ${ms(percentile(ix, 95))} ms; ` +
    `exact scan p50 ${ms(percentile(ex, 50))} ms, p95 ${ms(percentile(ex, 95))} ms ` +
    `(${(percentile(ex, 50) / percentile(ix, 50)).toFixed(1)}× at p50)`,
);
console.log(`  recall of the exact 15: ${((100 * recalled) / (queries * K)).toFixed(1)}%`);
await vectors.close();
await close();
