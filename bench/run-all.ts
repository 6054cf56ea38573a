/** `npm run bench`: every benchmark in turn, each printing its figures beside its baseline. */
import { spawnSync } from "node:child_process";

const BENCHES = ["bench/digest-scheduler.ts", "bench/search.ts"];

let failed = 0;
for (const bench of BENCHES) {
  const run = spawnSync(process.execPath, ["--import", "tsx", bench], { stdio: "inherit" });
  if (run.status !== 0) failed++;
  console.log();
}
process.exitCode = failed > 0 ? 1 : 0;
