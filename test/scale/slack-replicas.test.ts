import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.js";
import { SlackEmulator } from "../emulators/slack.js";
import {
  type BotProcess,
  PROCESS_TIMEOUT_MS,
  SAMPLE_PAGE,
  SlackWorkspace,
  WIRE_TIMEOUT_MS,
} from "../slack/slack-bot-harness.js";
import { RoundRobinProxy } from "./round-robin-proxy.js";
import { inParallel, middayZone, shuffled } from "./scale-helpers.js";

// Slack in HTTP mode, scaled out: several `paperboy start` processes on one PostgreSQL database behind
// a round-robin load balancer. First two replicas, then four (two more join the running two). With
// each count, one channel is subscribed, its digest made due while every replica's scheduler ticks,
// and a few hundred reactions (redeliveries among them) arrive spread over the replicas: the digest
// is posted once and every vote counted once.

const ADMIN = "U0ADMIN";
const BOT_USER = "U0EMUBOT1";
/** Voters per paper, in digest order: 200 people-on-papers in all. */
const VOTERS = [24, 32, 40, 48, 56];
/** On each paper, voters 0–3 add a second up emoji (still one vote); voters 4–7 take theirs back. */
const DOUBLED = [0, 4] as const;
const TAKEN_BACK = [4, 8] as const;
/** On each paper, voters 8–11's reactions are delivered a second time, as Slack retries them. */
const RETRIED = [8, 12] as const;
const UP = ["+1", "arrow_up", "fire", "heart", "rocket"];
/** At most this many deliveries in flight at once. */
const SENDERS = 8;

const PHASES = [
  { replicas: 2, channel: "C0SCALE2" },
  { replicas: 4, channel: "C0SCALE4" },
] as const;

const voter = (paper: number, j: number) => `U${String(1000 + paper * 100 + j)}`;

let emulator: SlackEmulator;
let workspace: SlackWorkspace;
let db: Database;
const proxy = new RoundRobinProxy();
const bots: { bot: BotProcess; origin: string }[] = [];
const figures: string[] = [];

/** event_ts as Slack sends it, strictly increasing in milliseconds (the precision votes keep). */
let lastEventMs = 0;
function eventTs(): string {
  lastEventMs = Math.max(Date.now(), lastEventMs + 1);
  return (lastEventMs / 1000).toFixed(6);
}

async function startReplicas(count: number): Promise<void> {
  const started = performance.now();
  const more = await Promise.all(
    Array.from({ length: count - bots.length }, () => workspace.startHttpBot({ PAPERBOY_RECAP_DAY: "off" })),
  );
  for (const { bot, url } of more) bots.push({ bot, origin: new URL(url).origin });
  // The scheduler starts after the platform connects: wait until every replica's is ticking.
  for (const { bot } of bots) await bot.waitForLog("paperboy is running");
  figures.push(`started ${more.length} replicas in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  proxy.setTargets(bots.map((b) => b.origin));
}

/** Top-level chat.postMessage calls that went through in `channel`, and the thread replies. */
function postsIn(channel: string) {
  const ok = emulator
    .callsTo("chat.postMessage")
    .filter((call) => call.response.ok === true && call.body.channel === channel);
  return {
    top: ok.filter((call) => !call.body.thread_ts).map((call) => String(call.response.ts)),
    threaded: ok.filter((call) => call.body.thread_ts).map((call) => String(call.body.thread_ts)),
  };
}

async function voteRows(channel: string): Promise<{ rows: number; active: number }> {
  const [row] = await db.rows<{ rows: number; active: number }>(sql`
    select count(*)::int as rows, (count(*) filter (where v.active))::int as active
    from votes v join posts p on p.id = v.post_id join channels c on c.id = p.channel_id
    where c.platform = 'slack' and c.channel_ref = ${channel}`);
  return row ?? { rows: 0, active: 0 };
}

async function paperIdsByTs(channel: string): Promise<Map<string, string>> {
  const rows = await db.rows<{ message_ref: string; paper_id: string }>(sql`
    select p.message_ref, p.paper_id from posts p join channels c on c.id = p.channel_id
    where c.platform = 'slack' and c.channel_ref = ${channel} and p.status = 'sent'`);
  return new Map(rows.map((r) => [r.message_ref, r.paper_id]));
}

interface Delivery {
  event: Record<string, unknown>;
  eventId: string;
  retry: boolean;
}

/** The reactions of one phase: every first delivery in a shuffled order, then Slack's retries. */
function reactionsOn(channel: string, paperTs: string[], seed: number): Delivery[] {
  const first: Delivery[] = [];
  const retries: Delivery[] = [];
  let n = 0;
  const react = (type: string, user: string, reaction: string, ts: string, retried = false) => {
    const delivery = {
      event: {
        type,
        user,
        reaction,
        item: { type: "message", channel, ts },
        item_user: BOT_USER,
        event_ts: eventTs(),
      },
      eventId: `EvScale${seed}x${n++}`,
      retry: false,
    };
    first.push(delivery);
    if (retried) retries.push({ ...delivery, retry: true });
  };
  for (const [i, ts] of paperTs.entries()) {
    for (let j = 0; j < (VOTERS[i] ?? 0); j++) {
      const emoji = UP[j % UP.length] as string;
      const takenBack = j >= TAKEN_BACK[0] && j < TAKEN_BACK[1];
      // A taken-back reaction is retried late too: the retry must not bring it back.
      react("reaction_added", voter(i, j), emoji, ts, takenBack || (j >= RETRIED[0] && j < RETRIED[1]));
      if (j >= DOUBLED[0] && j < DOUBLED[1]) react("reaction_added", voter(i, j), "rocket", ts);
    }
  }
  // The removals get later event times than every add, whatever order they are delivered in.
  for (const [i, ts] of paperTs.entries()) {
    for (let j = TAKEN_BACK[0]; j < TAKEN_BACK[1]; j++) {
      react("reaction_removed", voter(i, j), UP[j % UP.length] as string, ts);
    }
  }
  return [...shuffled(first, seed), ...shuffled(retries, seed + 1)];
}

describe.skipIf(!process.env.TEST_DATABASE_URL)(
  "Slack replicas behind a load balancer on one PostgreSQL database (needs TEST_DATABASE_URL: the embedded database is one process's)",
  { timeout: PROCESS_TIMEOUT_MS },
  () => {
    beforeAll(async () => {
      emulator = new SlackEmulator({
        users: [{ id: ADMIN, name: "ada", is_admin: true }],
        channels: PHASES.map((p) => ({ id: p.channel, name: p.channel.toLowerCase() })),
        timeoutMs: WIRE_TIMEOUT_MS,
      });
      await emulator.start();
      workspace = await SlackWorkspace.create(emulator);
      await workspace.ingest(SAMPLE_PAGE);
      db = await openDatabase({ databaseUrl: workspace.databaseUrl, poolSize: 2 });
      await proxy.start();
    }, PROCESS_TIMEOUT_MS);

    afterAll(async () => {
      await proxy.stop();
      for (const { bot } of bots) await bot.stop().catch(() => {});
      await db?.close();
      await emulator?.stop();
      await workspace?.close();
      if (figures.length > 0) console.info(`slack replicas:\n  ${figures.join("\n  ")}`);
    }, PROCESS_TIMEOUT_MS);

    for (const [phase, { replicas, channel }] of PHASES.entries()) {
      describe(`${replicas} replicas`, () => {
        let paperTs: string[] = [];

        it(`${replicas} bot processes run, each with its scheduler, behind the proxy`, async () => {
          await startReplicas(replicas);
          expect(bots).toHaveLength(replicas);
          for (const { bot } of bots) {
            expect(bot.logs.find((l) => l.msg === "paperboy is running")).toMatchObject({
              database: "postgres",
            });
          }
        });

        it("an admin subscribes a channel through the proxy", async () => {
          const delivered = await emulator.deliverCommand(proxy.url, {
            text: `subscribe at 18:00 tz ${middayZone()} weekends on count 5`,
            channel_id: channel,
            user_id: ADMIN,
            user_name: "ada",
          });
          expect(delivered.status, delivered.body).toBe(200);
          const answer = await emulator.waitForResponse(
            (r) => emulator.responseUrl(r.id) === delivered.responseUrl,
          );
          expect(answer.body.response_type).toBe("in_channel");
        });

        it("its digest, due while every replica's scheduler ticks, is posted once", async () => {
          // Due now: each replica's once-a-minute tick (on the minute, the same for all) finds it.
          await db.rows(sql`update channels set next_digest_at = now()
            where platform = 'slack' and channel_ref = ${channel}`);
          const started = performance.now();
          const run = await vi.waitFor(
            async () => {
              const [row] = await db.rows<{ status: string; papers_posted: number; runs: number }>(sql`
                select r.status, r.papers_posted, count(*) over ()::int as runs
                from digest_runs r join channels c on c.id = r.channel_id
                where c.platform = 'slack' and c.channel_ref = ${channel}`);
              expect(row?.status).toBe("done");
              return row as { status: string; papers_posted: number; runs: number };
            },
            { timeout: 150_000, interval: 1_000 },
          );
          figures.push(
            `${replicas} replicas: digest done ${((performance.now() - started) / 1000).toFixed(0)} s after it was made due`,
          );
          expect(run).toMatchObject({ runs: 1, papers_posted: 5 });
          // One replica posted it; the others found it claimed or done.
          const postedIt = (bot: BotProcess) =>
            bot.logs.some((l) => l.msg === "digest posted" && l.channel === channel);
          await vi.waitFor(() => expect(bots.some(({ bot }) => postedIt(bot))).toBe(true));
          expect(bots.filter(({ bot }) => postedIt(bot))).toHaveLength(1);
          figures.push(
            `${replicas} replicas: posted by replica ${bots.findIndex(({ bot }) => postedIt(bot)) + 1}`,
          );
          const posts = postsIn(channel);
          // Header + 5 papers, each paper's briefing in its own thread, nothing twice.
          expect(posts.top).toHaveLength(6);
          paperTs = posts.top.slice(1);
          expect(posts.threaded).toEqual(paperTs);
          expect([...(await paperIdsByTs(channel)).keys()].sort()).toEqual([...paperTs].sort());
          // Done for today: the schedule moved on, so no replica's next tick finds it due again.
          const [next] = await db.rows<{ later: boolean }>(sql`
            select next_digest_at > now() as later from channels
            where platform = 'slack' and channel_ref = ${channel}`);
          expect(next?.later).toBe(true);
        });

        it("reactions spread over the replicas, retries among them, are each counted once", async () => {
          expect(paperTs).toHaveLength(5);
          const deliveries = reactionsOn(channel, paperTs, 7 + phase);
          const before = new Map(proxy.forwarded);
          const started = performance.now();
          const statuses = await inParallel(deliveries, SENDERS, async (d) => {
            const sent = await emulator.deliverEvent(proxy.url, d.event, {
              eventId: d.eventId,
              ...(d.retry ? { retryNum: 1 } : {}),
            });
            return sent.status;
          });
          const sentIn = performance.now() - started;
          expect(statuses.filter((s) => s !== 200)).toEqual([]);
          // Round robin: every replica took its share of them.
          for (const { origin } of bots) {
            const share = (proxy.forwarded.get(origin) ?? 0) - (before.get(origin) ?? 0);
            expect(share, origin).toBeGreaterThanOrEqual(Math.floor(deliveries.length / replicas));
          }
          // 200 people-on-papers and 20 second emoji are rows; 20 were taken back (their late retries
          // too). Bolt acks before a vote is stored, so the rows are read until they have all landed.
          await vi.waitFor(async () => expect(await voteRows(channel)).toEqual({ rows: 220, active: 200 }), {
            timeout: WIRE_TIMEOUT_MS,
            interval: 250,
          });
          figures.push(
            `${replicas} replicas: ${deliveries.length} reaction deliveries (${deliveries.filter((d) => d.retry).length} retries) sent in ${(sentIn / 1000).toFixed(1)} s, stored within ${((performance.now() - started) / 1000).toFixed(1)} s`,
          );
        });

        it("`paperboy top --channel` counts each person once per paper", async () => {
          const top = await workspace.cli(["top", "--channel", channel, "--period", "all", "--json"]);
          expect(top.code, top.stderr).toBe(0);
          const byTs = await paperIdsByTs(channel);
          const expected = paperTs
            .map((ts, i) => [byTs.get(ts), (VOTERS[i] ?? 0) - (TAKEN_BACK[1] - TAKEN_BACK[0])])
            .reverse();
          const rows = JSON.parse(top.stdout) as { id: string; votes: number }[];
          expect(rows.map((r) => [r.id, r.votes])).toEqual(expected);
        });
      });
    }

    it("every replica stops cleanly; nothing was posted or counted twice afterwards", async () => {
      for (const { bot } of bots) {
        expect(await bot.stop(), bot.describe()).toEqual({ code: 0, signal: null });
        expect(
          bot.logs.filter((l) => l.level >= 50),
          bot.describe(),
        ).toEqual([]);
      }
      for (const { channel } of PHASES) {
        const posts = postsIn(channel);
        expect(posts.top).toHaveLength(6);
        expect(posts.threaded).toHaveLength(5);
        expect(await voteRows(channel)).toEqual({ rows: 220, active: 200 });
      }
      figures.push(
        `requests per replica: ${[...proxy.forwarded.values()].join(", ")} (${bots.length} replicas)`,
      );
    });
  },
);
