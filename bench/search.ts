/**
 * `npm run bench:search`: a synthetic corpus (the sample page's vocabulary and word frequencies) at
 * each size of BENCH_SIZES (default 10000,100000,1000000), loaded with `paperboy ingest` and, for
 * comparison, with psql's \copy of the same rows into the same schema; then the search index built,
 * a restarted replica loading its snapshot, and search latencies beside the bare Postgres
 * full-text search (ts_rank_cd over the GIN index) measured in the same run. Needs a PostgreSQL server
 * (BENCH_DATABASE_URL or TEST_DATABASE_URL) and psql.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startEchoProcess } from "./baseline-servers.js";
import { benchDatabase, percentile } from "./bench-database.js";
import { QUERIES } from "./search-queries.js";
import { SlackCommands } from "./slack-commands.js";
import { inFlight } from "./slack-sender.js";
import { TSV_COLUMNS, writeCorpus } from "./synthetic-papers.js";

const ROOT = resolve(import.meta.dirname, "..");
const sizes = (process.env.BENCH_SIZES ?? "10000,100000,1000000").split(",").map(Number);
const slackCommands = Number(process.env.BENCH_SLACK_COMMANDS ?? 220);
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const n = (value: number) => Math.round(value).toLocaleString("en-US");

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): { ms: number; stdout: string } {
  const start = performance.now();
  const result = spawnSync(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr || result.stdout}`);
  return { ms: performance.now() - start, stdout: result.stdout };
}

if (!process.env.BENCH_DATABASE_URL && !process.env.TEST_DATABASE_URL) {
  console.log(
    "search benchmark: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server; skipped",
  );
  process.exit(0);
}

for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), "paperboy-bench-search-"));
  const jsonl = join(dir, "papers.jsonl");
  const tsv = join(dir, "papers.tsv");
  const ours = await benchDatabase("search");
  const copy = await benchDatabase("copy");
  try {
    const generated = performance.now();
    await writeCorpus(size, jsonl, tsv);
    const generateMs = performance.now() - generated;
    const node = process.execPath;
    const ingest = run(node, ["--import", "tsx", "src/cli.ts", "ingest", "--file", jsonl], {
      DATABASE_URL: ours.url,
      LOG_LEVEL: "warn",
    });
    // BENCH_COPY=0 skips the psql \copy baseline (a rerun of the search part at a big size).
    const skipCopy = process.env.BENCH_COPY === "0";
    const psql = skipCopy
      ? { ms: Number.NaN, stdout: "" }
      : run("/usr/bin/psql", [
          copy.url as string,
          "-v",
          "ON_ERROR_STOP=1",
          "-c",
          `\\copy papers (${TSV_COLUMNS}) from '${tsv}'`,
        ]);
    await copy.close();
    await ours.db.exec("vacuum analyze papers");
    const indexDir = join(dir, "index");
    const build = JSON.parse(
      run(node, ["--import", "tsx", "bench/search-replica.ts", "build", ours.url as string, indexDir]).stdout,
    );
    const snapshotMb =
      statSync(join(indexDir, (await import("node:fs")).readdirSync(indexDir)[0] as string)).size / 1e6;
    const serve = JSON.parse(
      run(node, ["--import", "tsx", "bench/search-replica.ts", "serve", ours.url as string, indexDir], {
        BENCH_BASE_REPS: size >= 1_000_000 ? "3" : "10",
      }).stdout,
    );
    // What a user meets at this size: `/papers <query>` through Slack's HTTP path into the real bot
    // (restarted on the snapshot above), one at a time, beside a bare HTTP server given the same requests.
    const slackPath = new SlackCommands();
    const topics = Object.values(QUERIES).flat();
    let slackTimes: Awaited<ReturnType<SlackCommands["run"]>>;
    const echoTimes: number[] = [];
    try {
      await slackPath.start(ours.url as string, dir, indexDir);
      await slackPath.run(topics, 22, 1);
      slackTimes = await slackPath.run(topics, slackCommands, 1);
      const echo = await startEchoProcess();
      slackPath.slack.resetConnections();
      await inFlight(slackCommands, 1, async (i) => {
        const body = slackPath.slack.command(topics[i % topics.length] as string, "http://127.0.0.1:1/r/x");
        echoTimes.push((await slackPath.slack.post(echo.url, body, "application/x-www-form-urlencoded")).ms);
      });
      echo.stop();
    } finally {
      await slackPath.stop();
    }
    echoTimes.sort((a, b) => a - b);
    console.log(
      `\nsearch — ${n(size)} synthetic papers, ${ours.label} (corpus written in ${fmt(generateMs / 1000)} s;` +
        ` machine load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(" ")} on 2 cores)`,
    );
    console.log(
      `  ingest: paperboy ingest ${n(size / (ingest.ms / 1000))} papers/s (${fmt(ingest.ms / 1000)} s, whole CLI process)` +
        ` | ${Number.isNaN(psql.ms) ? "psql \\copy skipped (BENCH_COPY=0)" : `psql \\copy ${n(size / (psql.ms / 1000))} papers/s (${fmt(psql.ms / 1000)} s) | ratio ${(psql.ms / ingest.ms).toFixed(2)}x`}`,
    );
    console.log(
      `  index: built from the database in ${fmt(build.buildMs / 1000)} s (RSS ${build.rss} MB when ready, at most ${build.peak} MB while building); snapshot ${fmt(snapshotMb)} MB;` +
        ` restarted replica ready in ${fmt(serve.readyMs / 1000)} s, first answer at ${fmt(serve.firstAnswerMs / 1000)} s; RSS after the queries ${serve.rss} MB`,
    );
    console.log(
      `  ${"query".padEnd(42)} ${"found".padStart(5)}  ours p50/p95/max ms     /papers p50/p95 ms   ts_rank_cd p50/p95/max ms    ts_rank_cd p95 / ours`,
    );
    for (const r of serve.results) {
      const line = [
        `${r.kind}: ${r.query}`.slice(0, 42).padEnd(42),
        String(r.found).padStart(5),
        ` ${fmt(r.ours.p50)}/${fmt(r.ours.p95)}/${fmt(r.ours.max)}`.padEnd(24),
        `${fmt(r.command.p50)}/${fmt(r.command.p95)}`.padEnd(20),
        `${fmt(r.base.p50)}/${fmt(r.base.p95)}/${fmt(r.base.max)}`.padEnd(28),
        `${(r.base.p95 / r.ours.p95).toFixed(r.base.p95 >= 10 * r.ours.p95 ? 0 : 1)}x`,
      ];
      console.log(`  ${line.join(" ")}`);
    }
    const slackOk = slackTimes.answer.p95 < 150 && slackTimes.failed === 0;
    console.log(
      `  /papers through Slack's HTTP path (paperboy start, ${n(slackCommands)} signed commands over the set, one at a time):` +
        ` ack p50/p95 ${fmt(slackTimes.ack.p50)}/${fmt(slackTimes.ack.p95)} ms, answer p50/p95 ${fmt(slackTimes.answer.p50)}/${fmt(slackTimes.answer.p95)} ms` +
        ` (target p95 < 150 ms ${slackOk ? "✔" : "✘"}${slackTimes.failed > 0 ? `, ${slackTimes.failed} failed` : ""});` +
        ` bare HTTP server, same requests: p50/p95 ${fmt(percentile(echoTimes, 50))}/${fmt(percentile(echoTimes, 95))} ms`,
    );
  } finally {
    await ours.close();
    await copy.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
