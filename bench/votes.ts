/**
 * Votes end to end: signed `reaction_added` deliveries over loopback HTTP into the real bot process
 * (`paperboy start`, Slack HTTP mode, Bolt's HTTPReceiver checking every signature) at rising numbers
 * in flight (BENCH_VOTE_LEVELS, default 1,8,32,64; BENCH_VOTES per level, default 2000), timed until
 * the votes table holds every one of them (none may be lost). Beside each level, in the same run,
 * pgbench's single-row inserts into the same table with as many clients (BENCH_PGBENCH_SECONDS, default
 * 5), and the same deliveries into a Bolt app that does nothing with them (Bolt's own ceiling on this
 * machine), its CPU per delivery beside the bot's per vote. Needs a PostgreSQL server
 * (BENCH_DATABASE_URL or TEST_DATABASE_URL) and pgbench.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { startBoltAloneProcess } from "./baseline-servers.js";
import { benchDatabase, percentile } from "./bench-database.js";
import { BotProcess, freePort } from "./bot-process.js";
import { seedPosts } from "./seed-posts.js";
import { inFlight, SlackSender } from "./slack-sender.js";

const quick = process.env.BENCH_QUICK === "1";
const levels = (process.env.BENCH_VOTE_LEVELS ?? (quick ? "1,8,32" : "1,8,32,64")).split(",").map(Number);
const perLevel = Number(process.env.BENCH_VOTES ?? (quick ? 500 : 2000));
const pgbenchSeconds = Number(process.env.BENCH_PGBENCH_SECONDS ?? (quick ? 3 : 5));
const POSTS = 100;
const n = (value: number) => Math.round(value).toLocaleString("en-US");

if (!process.env.BENCH_DATABASE_URL && !process.env.TEST_DATABASE_URL) {
  console.log(
    "votes benchmark: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server; skipped",
  );
  process.exit(0);
}

const { db, label, url, close } = await benchDatabase("votes");
const slack = new SlackSender();
const dir = mkdtempSync(join(tmpdir(), "paperboy-bench-votes-"));
let bot: BotProcess | undefined;
let boltStop = () => {};
try {
  const posts = await seedPosts(db, POSTS);
  await slack.start();
  const port = await freePort();
  bot = new BotProcess(["start"], {
    ...slack.botEnv(port),
    DATABASE_URL: url as string,
    PAPERBOY_DATA_DIR: join(dir, "data"),
    PAPERBOY_SEARCH_INDEX: "off",
    HF_BASE_URL: `http://127.0.0.1:${await freePort()}`,
  });
  await bot.waitForLog("paperboy is running");
  const endpoint = `http://127.0.0.1:${port}/slack/events`;
  const count = async () =>
    Number((await db.rows<{ n: number }>(sql`select count(*)::int as n from votes`))[0]?.n);

  /** Sends `total` reactions by distinct users to `to`, `concurrency` in flight; the acks' times. */
  const send = async (to: string, tag: string, total: number, concurrency: number) => {
    slack.resetConnections();
    const acks: number[] = [];
    let refused = 0;
    await inFlight(total, concurrency, async (i) => {
      const post = posts[i % posts.length] as (typeof posts)[number];
      const body = slack.event({
        type: "reaction_added",
        user: `U${tag}X${i}`,
        reaction: "+1",
        item: { type: "message", channel: "C111", ts: post.messageRef },
        item_user: "U0EMUBOT1",
      });
      const { status, ms } = await slack.post(to, body, "application/json");
      if (status !== 200) refused++;
      acks.push(ms);
    });
    return { acks, refused };
  };

  /** `send` into the bot; resolves when every vote is stored (or none has come in for 30 s). */
  const deliver = async (tag: string, total: number, concurrency: number) => {
    const before = await count();
    const cpu = bot?.cpuMs() ?? Number.NaN;
    const started = performance.now();
    const { acks, refused } = await send(endpoint, tag, total, concurrency);
    let stored = (await count()) - before;
    let lastChange = performance.now();
    // Bolt acks an event before its listener runs: the vote is in once the table says so.
    while (stored < total && performance.now() - lastChange < 30_000) {
      await new Promise((r) => setTimeout(r, 5));
      const now = (await count()) - before;
      if (now !== stored) lastChange = performance.now();
      stored = now;
    }
    const ms = performance.now() - started;
    acks.sort((a, b) => a - b);
    const cpuPerVote = ((bot?.cpuMs() ?? Number.NaN) - cpu) / total;
    return { ms, stored, refused, cpuPerVote, ackP50: percentile(acks, 50), ackP99: percentile(acks, 99) };
  };

  const script = join(dir, "insert-vote.sql");
  writeFileSync(
    script,
    `\\set post random(${posts[0]?.id}, ${posts.at(-1)?.id})\n\\set user random(1, 1000000000000)\n` +
      `insert into votes (post_id, user_ref, emoji, value, active, event_at)\n` +
      `values (:post, 'pgbench-' || :user::bigint, '+1', 1, true, now()) on conflict do nothing;\n`,
  );
  const pgbench = (clients: number) => {
    const run = spawnSync(
      "/usr/bin/pgbench",
      [
        "-n",
        "-M",
        "prepared",
        "-f",
        script,
        "-c",
        String(clients),
        "-j",
        String(Math.min(clients, 2)),
      ].concat(["-T", String(pgbenchSeconds), url as string]),
      { encoding: "utf8" },
    );
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(run.stdout)?.[1];
    if (run.status !== 0 || !tps) throw new Error(`pgbench failed: ${run.stderr || run.stdout}`);
    return Number(tps);
  };

  // Warm-up: connections open, statements prepared, code paths compiled.
  await deliver("warm", 300, 8);
  const bolt = await startBoltAloneProcess(slack.emulator);
  boltStop = bolt.stop;
  await send(bolt.url, "warm", 300, 8);
  /** Deliveries per second into the do-nothing Bolt app (the most any Bolt app takes here), and its CPU per delivery. */
  const boltRate = async (level: number) => {
    const cpu = bolt.cpuMs();
    const started = performance.now();
    await send(bolt.url, `B${level}`, perLevel, level);
    return {
      rate: perLevel / ((performance.now() - started) / 1000),
      cpuPerDelivery: (bolt.cpuMs() - cpu) / perLevel,
    };
  };

  console.log(
    `votes — signed reaction_added over loopback HTTP into paperboy start (Slack HTTP mode), ${label};` +
      ` ${n(perLevel)} votes per level; machine load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} on 2 cores`,
  );
  console.log(
    `  ${"in flight".padEnd(10)} ${"ours votes/s".padStart(13)} ${"ack p50/p99 ms".padStart(15)} ${"bot CPU/vote".padStart(12)} ${"stored".padStart(12)}   ${"Bolt alone/s, CPU".padStart(22)}   ${"pgbench inserts/s".padStart(17)}   ratio to pgbench (target ≥ 0.5x)`,
  );
  let lost = 0;
  for (const level of levels) {
    const ours = await deliver(`L${level}`, perLevel, level);
    lost += perLevel - ours.stored + ours.refused;
    const boltAlone = await boltRate(level);
    const base = pgbench(level);
    const rate = perLevel / (ours.ms / 1000);
    const ratio = rate / base;
    console.log(
      `  ${String(level).padEnd(10)} ${n(rate).padStart(13)} ${`${ours.ackP50.toFixed(1)}/${ours.ackP99.toFixed(1)}`.padStart(15)}` +
        ` ${`${ours.cpuPerVote.toFixed(2)} ms`.padStart(12)} ${`${n(ours.stored)}/${n(perLevel)}`.padStart(12)}   ${`${n(boltAlone.rate)}, ${boltAlone.cpuPerDelivery.toFixed(2)} ms`.padStart(22)}   ${n(base).padStart(17)}   ${ratio.toFixed(2)}x ${ratio >= 0.5 ? "✔" : "✘"}` +
        (ours.refused > 0 ? `  (${ours.refused} deliveries refused)` : ""),
    );
  }
  console.log(
    lost === 0 ? "  every vote delivered was stored ✔" : `  LOST ${lost} votes (refused or never stored) ✘`,
  );
  if (lost > 0) process.exitCode = 1;
} finally {
  boltStop();
  await bot?.stop();
  await slack.stop();
  await close();
  rmSync(dir, { recursive: true, force: true });
}
