/**
 * The in-process ranker alone (no database), over a synthetic corpus built in this process: each query
 * of the bench:search set ranked as the bot does, beside two baselines on the same index, runs
 * alternated: the same ranker scoring every posting (no pruning; its answer must be identical), and
 * keeping the typed forms that are in over 90% of papers (with how many of the best 15 both find).
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
  unpruned: new DocumentRanker(index, { prune: false }),
  noRule: new DocumentRanker(index, { ubiquitousFrom: Number.POSITIVE_INFINITY }),
};
type Name = keyof typeof rankers;
const names = Object.keys(rankers) as Name[];
const now = new Date();
const fmt = (ms: number) => ms.toFixed(1);
const cell = (times: number[]) => `${fmt(percentile(times, 50))}/${fmt(percentile(times, 95))}`.padEnd(13);
console.log(
  `ranking — ${size.toLocaleString("en-US")} synthetic papers in process (index built in ${buildS.toFixed(0)} s), ` +
    `${reps} runs each, alternated. Baselines: the same ranker scoring every posting (no pruning), and ` +
    "keeping typed forms in over 90% of papers (no typed-form rule)",
);
console.log(
  `  ${"query".padEnd(42)} ours p50/p95 ms  unpruned      no rule       pruning exact?  best 15 without the rule`,
);
for (const text of Object.values(QUERIES).flat()) {
  const query = analyzeQuery(text);
  const times = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<Name, number[]>;
  const hits = {} as Record<Name, { id: string; score: number }[]>;
  for (let r = 0; r < reps + 1; r++)
    for (const name of names) {
      const start = performance.now();
      const answer = queryIndex({ index, ranker: rankers[name], typos }, query, 15, now).hits;
      if (r === 0) hits[name] = answer;
      else times[name].push(performance.now() - start);
    }
  for (const name of names) times[name].sort((a, b) => a - b);
  const ids = (name: Name) => hits[name].map((h) => h.id);
  const exact = JSON.stringify(hits.ours) === JSON.stringify(hits.unpruned) ? "identical" : "DIFFERENT";
  const kept = ids("ours").filter((id) => ids("noRule").includes(id)).length;
  const order = ids("ours").join() === ids("noRule").join() ? "same order" : "reordered";
  console.log(
    `  ${text.slice(0, 42).padEnd(42)} ${cell(times.ours)}    ${cell(times.unpruned)} ${cell(times.noRule)} ${exact.padEnd(15)} ${kept} (${order})`,
  );
}
