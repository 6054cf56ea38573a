/**
 * The in-process ranker alone (no database), over a synthetic corpus built in this process: each query
 * of the bench:search set ranked with the rule that leaves out typed forms in over 90% of papers, and
 * without it (the baseline, same index, runs alternated), with how many of the best 15 both find.
 * BENCH_RANKING_PAPERS sets the size (default 100,000; 1,000,000 takes about 3 minutes to build).
 */
import { analyzeQuery } from "../src/core/search/analyze-query.js";
import { PaperIndex } from "../src/core/search/paper-index.js";
import { queryIndex } from "../src/core/search/query-index.js";
import { DocumentRanker } from "../src/core/search/rank-documents.js";
import { TypoCorrections } from "../src/core/search/typo-corrections.js";
import { percentile } from "./bench-database.js";
import { QUERIES } from "./search-queries.js";
import { syntheticPapers } from "./synthetic-papers.js";

const size = Number(process.env.BENCH_RANKING_PAPERS ?? (process.env.BENCH_QUICK ? 10_000 : 100_000));
const reps = Number(process.env.BENCH_REPS ?? 21);
const paper = await syntheticPapers();
const index = new PaperIndex();
const started = performance.now();
for (let i = 0; i < size; i++) {
  const p = paper(i);
  index.upsert({ ...p, bornAt: p.publishedAt ?? new Date(0) });
}
const buildS = (performance.now() - started) / 1000;
const typos = new TypoCorrections(index);
const rankers = {
  ours: new DocumentRanker(index),
  baseline: new DocumentRanker(index, { ubiquitousFrom: Number.POSITIVE_INFINITY }),
};
const now = new Date();
const fmt = (ms: number) => ms.toFixed(1);
console.log(
  `ranking — ${size.toLocaleString("en-US")} synthetic papers in process (index built in ${buildS.toFixed(0)} s), ` +
    `${reps} runs each, alternated; baseline: the same ranker keeping typed forms in over 90% of papers`,
);
console.log(`  ${"query".padEnd(42)} ours p50/p95 ms   baseline p50/p95 ms   best 15 in both (same order?)`);
for (const text of Object.values(QUERIES).flat()) {
  const query = analyzeQuery(text);
  const times = { ours: [] as number[], baseline: [] as number[] };
  const ids = { ours: [] as string[], baseline: [] as string[] };
  for (let r = 0; r < reps + 1; r++)
    for (const name of ["ours", "baseline"] as const) {
      const start = performance.now();
      const { hits } = queryIndex({ index, ranker: rankers[name], typos }, query, 15, now);
      if (r === 0) ids[name] = hits.map((h) => h.id);
      else times[name].push(performance.now() - start);
    }
  const [ours, base] = [times.ours.sort((a, b) => a - b), times.baseline.sort((a, b) => a - b)];
  console.log(
    `  ${text.slice(0, 42).padEnd(42)} ${`${fmt(percentile(ours, 50))}/${fmt(percentile(ours, 95))}`.padEnd(17)}` +
      ` ${`${fmt(percentile(base, 50))}/${fmt(percentile(base, 95))}`.padEnd(21)} ${ids.ours.filter((id) => ids.baseline.includes(id)).length} (${ids.ours.join() === ids.baseline.join() ? "same order" : "reordered"})`,
  );
}
