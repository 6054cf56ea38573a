/**
 * 10,000 subscribed channels, 1,000 of them due in one minute: how long the due-channel query and the
 * claims take, next to a baseline that reads every subscribed channel and filters in the process.
 * Checks that each due channel got exactly one run.
 */
import { sql } from "drizzle-orm";
import { createStore } from "../src/db/store.js";
import { benchDatabase, percentile, timed } from "./bench-database.js";

const CHANNELS = 10_000;
const DUE = 1_000;
const REPEATS = 20;

const { db, label, close } = await benchDatabase();
try {
  const store = createStore(db);
  const now = new Date("2026-01-14T09:00:30Z");
  // Due channels sit at 09:00 today; the rest are spread over the next 24 hours.
  await db.exec(`
    insert into channels (platform, workspace_id, channel_ref, subscribed, timezone, next_digest_at)
    select 'slack', 'T1', 'C' || g, true, 'UTC',
      case when g <= ${DUE} then timestamptz '2026-01-14T09:00:00Z'
           else timestamptz '2026-01-14T09:01:00Z' + ((g % 1440) * interval '1 minute') end
    from generate_series(1, ${CHANNELS}) g;
    analyze channels;`);

  const dueTimes: number[] = [];
  const scanTimes: number[] = [];
  let dueCount = 0;
  for (let i = 0; i < REPEATS; i++) {
    const due = await timed(() => store.channels.due(now, 5_000, ["slack"]));
    dueTimes.push(due.ms);
    dueCount = due.value.length;
    const scan = await timed(async () =>
      (await store.channels.subscribed()).filter((c) => c.nextDigestAt && c.nextDigestAt <= now),
    );
    scanTimes.push(scan.ms);
  }
  dueTimes.sort((a, b) => a - b);
  scanTimes.sort((a, b) => a - b);

  const due = await store.channels.due(now, 5_000, ["slack"]);
  const lease = new Date(now.getTime() + 120_000);
  // Three "processes" claim every due channel; the database must hand each to exactly one.
  const claimRun = await timed(() =>
    Promise.all(
      ["a", "b", "c"].map(async (owner) => {
        let won = 0;
        for (const channel of due)
          if (await store.digestRuns.claim(channel.id, "2026-01-14", "daily", owner, now, lease)) won++;
        return won;
      }),
    ),
  );
  const [runs] = await db.rows<{ runs: number; channels: number }>(
    sql`select count(*)::int as runs, count(distinct channel_id)::int as channels from digest_runs`,
  );
  const claimed = claimRun.value.reduce((a, b) => a + b, 0);

  console.log(`digest scheduler — ${label}, ${CHANNELS} subscribed channels, ${DUE} due`);
  console.log(
    `  due-channel query (indexed next_digest_at): p50 ${percentile(dueTimes, 50).toFixed(1)} ms, p95 ${percentile(dueTimes, 95).toFixed(1)} ms, found ${dueCount}`,
  );
  console.log(
    `  baseline, read all subscribed and filter:   p50 ${percentile(scanTimes, 50).toFixed(1)} ms, p95 ${percentile(scanTimes, 95).toFixed(1)} ms (${(percentile(scanTimes, 50) / percentile(dueTimes, 50)).toFixed(1)}x slower)`,
  );
  console.log(
    `  claiming ${DUE} due channels from 3 racing claimers: ${claimRun.ms.toFixed(0)} ms (${((claimRun.ms / (DUE * 3)) * 1000).toFixed(0)} µs per claim attempt)`,
  );
  console.log(
    `  claims won: ${claimed} (${claimRun.value.map((n, i) => `${"abc"[i]} ${n}`).join(", ")}); runs ${runs?.runs} for ${runs?.channels} channels: ${claimed === DUE && runs?.runs === DUE ? "each due channel got exactly one run ✔" : "MISMATCH ✘"}`,
  );
  if (claimed !== DUE || runs?.runs !== DUE) process.exitCode = 1;
} finally {
  await close();
}
