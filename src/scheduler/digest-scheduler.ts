import cron, { type ScheduledTask } from "node-cron";
import PQueue from "p-queue";
import type { Channel } from "../core/channel.js";
import type { DigestPoster } from "../core/chat-platform.js";
import { advanceSchedule, type DigestResult, runDigest } from "../core/digests/run-digest.js";
import { isSameLocalDay, latestDigestAt, localDateAt } from "../core/digests/schedule.js";
import type { SelectPapers } from "../core/digests/select-papers.js";
import type { Metrics } from "../core/metrics.js";
import type { Clock, Logger, Store } from "../core/ports.js";
import { type RecapDeps, runWeeklyRecap } from "../core/recap/run-weekly-recap.js";
import type { LiveSearchIndex } from "../core/search/live-search-index.js";

export interface SchedulerDeps {
  store: Store;
  posters: Map<string, DigestPoster>;
  select: SelectPapers;
  clock: Clock;
  logger: Logger;
  owner: string;
  /** Runs before the digests of a tick (refreshing papers from the sources, cached). */
  beforeDigests?: () => Promise<void>;
  /** ISO weekday of the weekly recap (1 = Monday), posted with that day's digest; null: no recaps. */
  recapWeekday?: number | null;
  renderChart?: RecapDeps["renderChart"];
  searchIndex?: LiveSearchIndex | undefined;
  /** Counts digest outcomes (passed on to each run). */
  metrics?: Metrics | undefined;
  /** Due channels read per tick (default 1,000); tests make it small. */
  dueBatch?: number;
}

/**
 * One ticking task for all channels: each minute it reads only the channels that are due (an
 * indexed column), so 10,000 subscribed channels cost a tick no more than the due ones.
 */
export class DigestScheduler {
  private task: ScheduledTask | null = null;
  private readonly queue = new PQueue({ concurrency: 4 });
  private ticking: Promise<unknown> | null = null;
  /** Channels queued or running in this process: a tick that overlaps a slow one doesn't queue them again. */
  private readonly inQueue = new Set<number>();

  constructor(private readonly deps: SchedulerDeps) {}

  start(): void {
    // Ticks may overlap on purpose: a minute with many digests to post must not hold back the
    // channels due in the next minutes (inQueue keeps one channel from being queued twice).
    this.task = cron.schedule("* * * * *", () => void this.tick(), { name: "paperboy-digests" });
    // Catch up at once: digests missed while the bot was down are due now.
    void this.tick();
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    await this.ticking;
    await this.queue.onIdle();
  }

  /** Posts every digest due now; returns what happened per channel (tests and `digest --now` read it). */
  async tick(): Promise<Map<number, DigestResult>> {
    const run = this.runDue();
    this.ticking = run;
    return run;
  }

  private async runDue(): Promise<Map<number, DigestResult>> {
    const results = new Map<number, DigestResult>();
    const now = this.deps.clock.now();
    let due: Channel[];
    try {
      due = (
        await this.deps.store.channels.due(now, this.deps.dueBatch ?? 1000, [...this.deps.posters.keys()])
      ).filter((c) => !this.inQueue.has(c.id));
    } catch (error) {
      this.deps.logger.error({ err: (error as Error).message }, "digest tick: could not read due channels");
      return results;
    }
    if (due.length === 0) return results;
    await this.deps
      .beforeDigests?.()
      .catch((error: Error) =>
        this.deps.logger.warn(
          { err: error.message },
          "refreshing papers failed; using the papers already stored",
        ),
      );
    for (const channel of due) this.inQueue.add(channel.id);
    await Promise.all(
      due.map((channel) =>
        this.queue.add(async () => {
          const result = await this.runChannel(channel, now)
            .catch(
              (error: Error): DigestResult => ({
                status: "failed",
                localDate: "",
                reason: error.message,
                permanent: false,
              }),
            )
            .finally(() => this.inQueue.delete(channel.id));
          results.set(channel.id, result);
        }),
      ),
    );
    return results;
  }

  private async runChannel(channel: Channel, now: Date): Promise<DigestResult> {
    let scheduledAt = channel.nextDigestAt ?? now;
    if (!isSameLocalDay(channel.timezone, scheduledAt, now)) {
      // The bot was down through that whole local day: yesterday's news is not posted today.
      const missed = localDateAt(channel.timezone, scheduledAt);
      this.deps.logger.info(
        { channel: channel.channelRef, localDate: missed },
        "digest skipped: its day is over in the channel's time zone",
      );
      await this.recordSkip(channel, missed, now);
      // Today's own slot may have passed while the bot was down too: that one is still today's news.
      const today = latestDigestAt(channel, now);
      if (!today || !isSameLocalDay(channel.timezone, today, now)) {
        await advanceSchedule(this.deps.store, channel, now);
        return { status: "skipped", localDate: missed, reason: "the bot was down for that whole day" };
      }
      scheduledAt = today;
    }
    const localDate = localDateAt(channel.timezone, scheduledAt);
    const poster = this.deps.posters.get(channel.platform) as DigestPoster;
    const result = await runDigest({ ...this.deps, poster }, channel, { localDate });
    const after = scheduledAt > now ? scheduledAt : now;
    if (result.status === "posted" || result.status === "empty" || result.status === "already-done") {
      await advanceSchedule(this.deps.store, channel, after);
    } else if (result.status === "failed") {
      await this.retryLater(channel, scheduledAt, after, result);
    }
    // The weekly recap rides on the daily slot, so a tick still reads only the channels that are due.
    if (this.deps.recapWeekday && result.status !== "busy") {
      await runWeeklyRecap({ ...this.deps, poster }, channel, localDate, this.deps.recapWeekday).catch(
        (error: Error) => this.deps.logger.error({ err: error.message }, "weekly recap: could not run"),
      );
    }
    return result;
  }

  /**
   * A failed digest is not due again until its retry (tomorrow's slot when retrying is hopeless or its
   * day is over), so it never sits at the head of the due list, ahead of channels that can post.
   */
  private async retryLater(
    channel: Channel,
    scheduledAt: Date,
    after: Date,
    failure: Extract<DigestResult, { status: "failed" }>,
  ): Promise<void> {
    const { retryAt } = failure;
    if (retryAt && !failure.permanent && isSameLocalDay(channel.timezone, scheduledAt, retryAt))
      await this.deps.store.channels.setNextDigest(channel.id, retryAt, channel.nextDigestAt);
    else await advanceSchedule(this.deps.store, channel, after);
  }

  private async recordSkip(channel: Channel, localDate: string, now: Date): Promise<void> {
    const run = await this.deps.store.digestRuns.claim(
      channel.id,
      localDate,
      "daily",
      this.deps.owner,
      now,
      now,
    );
    if (run)
      await this.deps.store.digestRuns.finish(run.id, {
        status: "skipped",
        papersPosted: 0,
        error: "missed: the bot was down",
        finishedAt: now,
      });
  }
}
