/**
 * `npm run bench`: every benchmark in turn, each printing its figures beside its baseline.
 * `npm run bench -- --quick` (or BENCH_QUICK=1) runs them at small sizes (search: 10,000 papers unless
 * BENCH_SIZES says otherwise).
 */
import { spawnSync } from "node:child_process";

const BENCHES = [
  "bench/digest-scheduler.ts",
  "bench/search.ts",
  "bench/ranking.ts",
  "bench/vectors.ts",
  "bench/votes.ts",
  "bench/commands.ts",
  "bench/soak.ts",
];
const env = process.argv.includes("--quick")
  ? { BENCH_SIZES: "10000", ...process.env, BENCH_QUICK: "1" }
  : process.env;

let failed = 0;
for (const bench of BENCHES) {
  const run = spawnSync(process.execPath, ["--import", "tsx", bench], { stdio: "inherit", env });
  if (run.status !== 0) failed++;
  console.log();
}
process.exitCode = failed > 0 ? 1 : 0;
