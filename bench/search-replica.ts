/**
 * One paperboy replica for bench/search.ts, in a process of its own so its memory is its own:
 * `build` makes the search index from the database and leaves a snapshot; `serve` starts as a restarted
 * replica would (snapshot, then catch up), then times searches, the bare Postgres full-text baseline
 * and `/papers <topic>` through the core. Prints one JSON line.
 */
import { sql } from "drizzle-orm";
import { createPaperboy } from "../src/core/paperboy.js";
import { LiveSearchIndex } from "../src/core/search/live-search-index.js";
import { searchPapers } from "../src/core/search/search-papers.js";
import { openDatabase } from "../src/db/client.js";
import { createStore } from "../src/db/store.js";
import { ThreadedIndexHost } from "../src/threads/threaded-index-host.js";
import { percentile, timed } from "./bench-database.js";
import { QUERIES } from "./search-queries.js";

const [mode, databaseUrl, indexDir] = process.argv.slice(2) as [string, string, string];
const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const db = await openDatabase({ databaseUrl, poolSize: 4 });
const store = createStore(db);
// In a thread of its own, as the bot runs it (src/runtime.ts): RSS counts both threads.
const index = new LiveSearchIndex({
  store: store.papers,
  logger: quiet,
  host: (onFailure) => new ThreadedIndexHost({ snapshots: { dir: indexDir, database: "bench" } }, onFailure),
  pollMs: 0,
});
const mb = () => Math.round(process.memoryUsage().rss / 1e6);
const stats = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? Number.NaN };
};

if (mode === "build") {
  // RSS at one moment depends on when the last full GC ran (the build leaves some hundred megabytes
  // of row pages for it): the largest seen while building is the figure a memory limit must allow.
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, mb());
  }, 100);
  const built = await timed(() => index.start());
  clearInterval(sampler);
  const rss = mb();
  await index.stop();
  console.log(JSON.stringify({ buildMs: built.ms, rss, peak: Math.max(peak, rss), papers: index.size }));
} else {
  const reps = Number(process.env.BENCH_REPS ?? 20);
  const baseReps = Number(process.env.BENCH_BASE_REPS ?? 5);
  await index.start();
  const readyMs = performance.now();
  await searchPapers(store.papers, "compression", { limit: 5, index });
  const firstAnswerMs = performance.now();
  const core = createPaperboy({
    store,
    clock: { now: () => new Date() },
    logger: quiet,
    admins: [],
    defaults: { timezone: "UTC", digestTime: "09:00" },
    emojiActions: new Map(),
    searchIndex: index,
  });
  // A different person each time: one person this quick would be rate-limited (answered at once).
  let asker = 0;
  const context = () => ({
    address: { platform: "bench", workspaceId: "", channelRef: "b" },
    userRef: `u${asker++}`,
    isAdmin: false,
  });
  const results = [];
  for (const [kind, queries] of Object.entries(QUERIES)) {
    for (const query of queries) {
      const ours: number[] = [];
      const command: number[] = [];
      const base: number[] = [];
      let found = 0;
      for (let i = 0; i < reps + 2; i++) {
        const run = await timed(() => searchPapers(store.papers, query, { limit: 5, index }));
        found = run.value.papers.length;
        if (i >= 2) ours.push(run.ms);
        const reply = await timed(() => core.command(context(), query));
        if (i >= 2) command.push(reply.ms);
      }
      for (let i = 0; i < baseReps; i++) {
        const run = await timed(() =>
          db.rows(sql`select id from papers where search @@ websearch_to_tsquery('english', ${query})
            order by ts_rank_cd(search, websearch_to_tsquery('english', ${query})) desc, id limit 5`),
        );
        base.push(run.ms);
      }
      results.push({ kind, query, found, ours: stats(ours), command: stats(command), base: stats(base) });
    }
  }
  const rss = mb();
  await index.stop();
  console.log(JSON.stringify({ readyMs, firstAnswerMs, rss, papers: index.size, results }));
}
await db.close();
