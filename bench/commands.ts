/**
 * `/papers <topic>` under load: BENCH_COMMANDS (default 1000) signed slash commands, 50 in flight, over
 * loopback HTTP into the real bot process (`paperboy start`, Slack HTTP mode) searching BENCH_PAPERS
 * (default 100000) synthetic papers loaded with `paperboy ingest`; answers arrive on a response_url
 * server on loopback. Times to the HTTP ack and to the answer, beside two baselines from the same run:
 * the same signed requests to a bare Node HTTP server in its own process, and as many bare `select 1`
 * round trips over a pool as big as the bot's. Needs BENCH_DATABASE_URL or TEST_DATABASE_URL.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { startEchoProcess } from "./baseline-servers.js";
import { benchDatabase, percentile } from "./bench-database.js";
import { BotProcess } from "./bot-process.js";
import { SlackCommands } from "./slack-commands.js";
import { inFlight } from "./slack-sender.js";
import { writeCorpus } from "./synthetic-papers.js";

const quick = process.env.BENCH_QUICK === "1";
const papers = Number(process.env.BENCH_PAPERS ?? (quick ? 10_000 : 100_000));
const total = Number(process.env.BENCH_COMMANDS ?? (quick ? 300 : 1000));
const CONCURRENCY = 50;
const TOPICS = [
  "compression",
  "information bottleneck",
  "large language model inference",
  "efficient training",
  "deep neural networks",
  "kv cache compression",
  "gumbel softmax concept bottleneck",
  "bird eye view depth",
  "papers about making LLM inference faster",
  "transfromer compresion",
];
const n = (value: number) => Math.round(value).toLocaleString("en-US");
const pct = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};
const show = (t: { p50: number; p99: number }) => `p50 ${t.p50.toFixed(1)} ms, p99 ${t.p99.toFixed(1)} ms`;

if (!process.env.BENCH_DATABASE_URL && !process.env.TEST_DATABASE_URL) {
  console.log(
    "commands benchmark: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server; skipped",
  );
  process.exit(0);
}

const { label, url, close } = await benchDatabase("commands");
const dir = mkdtempSync(join(tmpdir(), "paperboy-bench-commands-"));
const commands = new SlackCommands();
const slack = commands.slack;
try {
  const loaded = performance.now();
  await writeCorpus(papers, join(dir, "papers.jsonl"), join(dir, "papers.tsv"));
  await BotProcess.run(["ingest", "--file", join(dir, "papers.jsonl")], {
    DATABASE_URL: url as string,
    LOG_LEVEL: "warn",
  });
  const loadMs = performance.now() - loaded;
  await commands.start(url as string, dir);
  // 100 untimed first: connections, statements, compiled code.
  const ours = await commands.run(TOPICS, total, CONCURRENCY, 100);

  const echo = await startEchoProcess();
  const echoTimes: number[] = [];
  slack.resetConnections();
  await inFlight(total, CONCURRENCY, async (i) => {
    const body = slack.command(TOPICS[i % TOPICS.length] as string, "http://127.0.0.1:1/r/x");
    echoTimes.push((await slack.post(echo.url, body, "application/x-www-form-urlencoded")).ms);
  });
  echo.stop();
  const pool = postgres(url as string, { max: 10, onnotice: () => {} });
  const selectTimes: number[] = [];
  await inFlight(total, CONCURRENCY, async () => {
    const started = performance.now();
    await pool`select 1`;
    selectTimes.push(performance.now() - started);
  });
  await pool.end();

  const ackOk = ours.ack.p99 < 100;
  const answerOk = ours.answer.p99 < 300;
  console.log(
    `commands — ${n(total)} signed /papers <topic> at ${CONCURRENCY} in flight into paperboy start (Slack HTTP mode),` +
      ` ${n(papers)} synthetic papers (loaded in ${(loadMs / 1000).toFixed(0)} s), ${label};` +
      ` machine load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} on ${availableParallelism()} cores`,
  );
  console.log(`  ack (HTTP 200):           ${show(ours.ack)}  target p99 < 100 ms ${ackOk ? "✔" : "✘"}`);
  console.log(
    `  answer on response_url:   ${show(ours.answer)}  target p99 < 300 ms ${answerOk ? "✔" : "✘"}`,
  );
  console.log(
    `  throughput:               ${n(ours.perSecond)} commands/s, bot process CPU ${ours.cpuPer.toFixed(1)} ms per command`,
  );
  console.log(`  baseline, bare HTTP server, same requests: ${show(pct(echoTimes))}`);
  console.log(`  baseline, bare select 1 over a pool of 10:  ${show(pct(selectTimes))}`);
  console.log(
    ours.failed === 0
      ? `  every command acked and answered ✔`
      : `  ${ours.failed} commands refused, unanswered or failed ✘`,
  );
  console.log(
    ours.empty === 0
      ? `  every answer lists papers ✔`
      : `  ${ours.empty} answers found no paper for a topic of the corpus ✘`,
  );
  if (ours.failed > 0 || ours.empty > 0) process.exitCode = 1;
} finally {
  await commands.stop();
  await close();
  rmSync(dir, { recursive: true, force: true });
}
