/**
 * Soak: BENCH_SOAK_EVENTS (default 100000) mixed events through the core in one process, 8 in flight:
 * reactions added and removed on paper posts (60%), thread replies (25%) and `/papers` commands (15%:
 * searches through the live search index, top, trending, saved, help). RSS is sampled after the
 * warm-up (the first 10%), after each further tenth and at the end, each after a full collection; the
 * growth from the first sample to the last should stay under 10%. Baseline, in a process of its own in
 * the same run: as many bare `select 1` round trips through the same database client, sampled the same way. PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL is set, else PGlite.
 */
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { sql } from "drizzle-orm";
import { createPaperboy } from "../src/core/paperboy.js";
import { LiveSearchIndex } from "../src/core/search/live-search-index.js";
import { DEFAULT_EMOJI_ACTIONS } from "../src/core/votes/emoji-actions.js";
import { createStore } from "../src/db/store.js";
import { ThreadedIndexHost } from "../src/threads/threaded-index-host.js";
import { benchDatabase } from "./bench-database.js";
import { seedPosts } from "./seed-posts.js";
import { inFlight } from "./slack-sender.js";

const quick = process.env.BENCH_QUICK === "1";
const EVENTS = Number(process.env.BENCH_SOAK_EVENTS ?? (quick ? 10_000 : 100_000));
const CONCURRENCY = 8;
const POSTS = 200;
const PAPERS = 5_000;
const TARGET = 10;
// trending is the slowest command by far (≈100 ms at 5,000 papers): 1 command in 10.
const COMMANDS = [
  ...["top", "trending", "saved", "help", "kv cache compression", "efficient training"],
  ...["information bottleneck", "deep neural networks", "papers about making LLM inference faster", "top"],
];
const EMOJI = ["+1", "fire", "-1", "bookmark"];
const mb = (bytes: number) => Math.round(bytes / 1e6);
const quiet = { info() {}, warn() {}, error() {}, debug() {} };

interface Run {
  label: string;
  ms: number;
  warm: number;
  end: number;
  peak: number;
  samples: number[];
  heapWarm: number;
  heapEnd: number;
  outcomes: Record<string, number>;
}

/** One phase in this process: `core` (the mixed events) or `baseline` (select 1). Prints its Run as JSON. */
async function phase(mode: string): Promise<void> {
  const { db, label, close } = await benchDatabase(`soak_${mode}`);
  const store = createStore(db);
  const posts = mode === "core" ? await seedPosts(db, POSTS) : [];
  if (mode === "core") await seedPosts(db, PAPERS - POSTS, "C222", POSTS);
  // In a thread of its own, as the bot runs it (src/runtime.ts): its memory is the process's too.
  const index = new LiveSearchIndex({
    store: store.papers,
    logger: quiet,
    ...(mode === "core" ? { host: (onFailure) => new ThreadedIndexHost({}, onFailure) } : {}),
  });
  if (mode === "core") await index.start();
  const core = createPaperboy({
    store,
    clock: { now: () => new Date() },
    logger: quiet,
    admins: [],
    defaults: { timezone: "UTC", digestTime: "09:00" },
    emojiActions: new Map(Object.entries(DEFAULT_EMOJI_ACTIONS)),
    searchIndex: index,
  });
  // A fixed sequence (an LCG): every run sends the same events.
  let seed = 42;
  const rand = (below: number) => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    // The high bits: an LCG's low bits repeat with short periods.
    return Math.floor((seed / 2 ** 32) * below);
  };
  const outcomes: Record<string, number> = {};
  const count = (outcome: string) => {
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  };
  const start = Date.now();
  const event = async (i: number): Promise<void> => {
    if (mode === "baseline") return void (await db.rows(sql`select 1 as one`));
    const kind = rand(20);
    const post = posts[rand(posts.length)] as (typeof posts)[number];
    const userRef = `U${rand(500)}`;
    if (kind < 12) {
      const emoji = EMOJI[rand(EMOJI.length)] as string;
      const added = rand(10) < 6;
      const message = { channelRef: "C111", messageRef: post.messageRef };
      const eventAt = new Date(start + i);
      count(
        await core.reaction({
          platform: "slack",
          ...message,
          userRef,
          emoji,
          added,
          eventAt,
          fromBot: false,
        }),
      );
    } else if (kind < 17) {
      count(
        await core.threadReply({
          platform: "slack",
          channelRef: "C111",
          threadRef: post.messageRef,
          fromBot: false,
        }),
      );
    } else {
      const address = { platform: "slack", workspaceId: "T111", channelRef: "C111" };
      const reply = await core.command(
        { address, userRef, isAdmin: false },
        COMMANDS[rand(COMMANDS.length)] as string,
      );
      count(`command-${reply.tone}`);
    }
  };

  const warmUp = Math.floor(EVENTS / 10);
  const started = performance.now();
  await inFlight(warmUp, CONCURRENCY, event);
  // Collected first, so the samples are what is kept, not garbage awaiting a collection.
  const sample = () => {
    globalThis.gc?.();
    return process.memoryUsage();
  };
  const warm = sample();
  const samples = [warm.rss];
  // In tenths, so the peak is seen too, not only the two ends.
  for (let part = 1; part < 10; part++) {
    const from = warmUp + Math.floor(((EVENTS - warmUp) * (part - 1)) / 9);
    const to = warmUp + Math.floor(((EVENTS - warmUp) * part) / 9);
    await inFlight(to - from, CONCURRENCY, (i) => event(from + i));
    samples.push(sample().rss);
  }
  const end = process.memoryUsage();
  await index.stop();
  await close();
  const run: Run = {
    label,
    ms: performance.now() - started,
    warm: warm.rss,
    end: end.rss,
    peak: Math.max(...samples),
    samples,
    heapWarm: warm.heapUsed,
    heapEnd: end.heapUsed,
    outcomes,
  };
  console.log(JSON.stringify(run));
}

function child(mode: string): Run {
  const result = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", import.meta.filename, mode], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (result.status !== 0) throw new Error(`soak ${mode} failed: ${result.stderr || result.stdout}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1) as string) as Run;
}

const mode = process.argv[2];
if (mode) {
  await phase(mode);
} else {
  const ours = child("core");
  const base = child("baseline");
  const growth = (r: Run) => ((r.end - r.warm) / r.warm) * 100;
  const line = (r: Run, verdict = "") =>
    `RSS ${mb(r.warm)} MB after warm-up -> ${mb(r.end)} MB at the end (peak ${mb(r.peak)} MB): ` +
    `${growth(r) >= 0 ? "+" : ""}${growth(r).toFixed(1)}%${verdict}; heap ${mb(r.heapWarm)} -> ${mb(r.heapEnd)} MB; ` +
    `${Math.round(EVENTS / (r.ms / 1000)).toLocaleString("en-US")} events/s\n` +
    `            RSS after each tenth, MB: ${r.samples.map(mb).join(" ")}`;
  console.log(
    `soak — ${EVENTS.toLocaleString("en-US")} mixed events through the core, ${CONCURRENCY} in flight, ${ours.label};` +
      ` machine load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} on 2 cores`,
  );
  console.log(`  ours:     ${line(ours, ` ${growth(ours) < TARGET ? "✔" : "✘"} (target < ${TARGET}%)`)}`);
  console.log(`  baseline, bare select 1 round trips, own process: ${line(base)}`);
  console.log(
    `  outcomes: ${Object.entries(ours.outcomes)
      .sort()
      .map(([k, v]) => `${k} ${v.toLocaleString("en-US")}`)
      .join(", ")}`,
  );
  if (growth(ours) >= TARGET || (ours.outcomes["command-error"] ?? 0) > 0) process.exitCode = 1;
}
