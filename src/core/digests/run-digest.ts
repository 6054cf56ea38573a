import type { Channel } from "../channel.js";
import type { DigestPoster, PostedMessage } from "../chat-platform.js";
import { PlatformError } from "../chat-platform.js";
import { postBriefing } from "../discussion/post-briefing.js";
import type { Metrics } from "../metrics.js";
import { toCard } from "../paper-card.js";
import type { Clock, DigestRun, ListedPaper, Logger, Store } from "../ports.js";
import type { PaperCard } from "../reply.js";
import type { LiveSearchIndex } from "../search/live-search-index.js";
import { localDateAt, nextDigestAt } from "./schedule.js";
import type { SelectPapers } from "./select-papers.js";

const LEASE_MS = 2 * 60_000;

export interface DigestDeps {
  store: Store;
  poster: DigestPoster;
  select: SelectPapers;
  clock: Clock;
  logger: Logger;
  /** This process, as named in claims: another process may take over only after the lease runs out. */
  owner: string;
  /** The process's search index, if any: briefings' related papers come from it. */
  searchIndex?: LiveSearchIndex | undefined;
  /** Counts each run's outcome; nothing when absent. */
  metrics?: Metrics | undefined;
}

export type DigestResult =
  | { status: "posted"; localDate: string; papers: PaperCard[]; runId: number }
  | { status: "empty" | "skipped" | "already-done" | "busy"; localDate: string; reason: string }
  | { status: "failed"; localDate: string; reason: string; permanent: boolean; retryAt?: Date };

/** Retries inside the day: 1, 5, 15, 30 minutes. */
const BACKOFF_MINUTES = [1, 5, 15, 30];
const TERMINAL: DigestRun["status"][] = ["done", "empty", "skipped"];

/**
 * Posts one channel's digest for one local date, exactly once across any number of processes: the
 * digest run row is the claim, each paper is recorded before it is sent, and a run taken over after
 * a crash sends only what is still queued.
 */
export async function runDigest(
  deps: DigestDeps,
  channel: Channel,
  options: { localDate?: string } = {},
): Promise<DigestResult> {
  try {
    const result = await postDigest(deps, channel, options);
    deps.metrics?.digestRun(result.status);
    return result;
  } catch (error) {
    // Only the bookkeeping around a run can throw here (the database gone mid-claim or mid-finish).
    deps.metrics?.digestRun("error");
    throw error;
  }
}

async function postDigest(
  deps: DigestDeps,
  channel: Channel,
  options: { localDate?: string },
): Promise<DigestResult> {
  const now = deps.clock.now();
  const localDate = options.localDate ?? localDateAt(channel.timezone, now);
  const log = { channel: channel.channelRef, platform: channel.platform, localDate };
  const run = await deps.store.digestRuns.claim(
    channel.id,
    localDate,
    "daily",
    deps.owner,
    now,
    new Date(now.getTime() + LEASE_MS),
  );
  if (!run) {
    const existing = await deps.store.digestRuns.get(channel.id, localDate, "daily");
    const finished =
      existing && (TERMINAL.includes(existing.status) || existing.attempts >= BACKOFF_MINUTES.length + 1);
    return finished
      ? {
          status: "already-done",
          localDate,
          reason: `the ${localDate} digest already ran (${existing.status})`,
        }
      : existing?.status === "failed"
        ? {
            status: "busy",
            localDate,
            reason: `the last attempt failed (${existing.error ?? "unknown error"}); it is retried${existing.leaseUntil ? ` from ${existing.leaseUntil.toISOString()}` : " soon"}`,
          }
        : { status: "busy", localDate, reason: "another paperboy process is posting this digest" };
  }
  try {
    let queue = await deps.store.posts.ofRun(run.id);
    if (queue.length === 0) {
      const papers = await deps.select(deps.store.papers, channel, now);
      if (papers.length === 0) {
        deps.logger.info(log, "digest: nothing new for this channel, not posting");
        await deps.store.digestRuns.finish(run.id, {
          status: "empty",
          papersPosted: 0,
          error: null,
          finishedAt: now,
        });
        return { status: "empty", localDate, reason: "no new papers since the last digest" };
      }
      for (const [position, paper] of papers.entries()) {
        await deps.store.posts.reserve(channel.id, paper.id, run.id, position);
      }
      queue = await deps.store.posts.ofRun(run.id);
    }
    const listed = new Map<string, ListedPaper>();
    for (const post of queue) {
      const paper = await deps.store.papers.get(post.paperId);
      if (paper) listed.set(post.paperId, paper);
    }
    if (!run.headerRef) {
      const headerRef = await deps.poster.postHeader(
        channel,
        { title: `Today's papers · ${localDate}`, localDate, count: queue.length },
        `paperboy-h${run.id}`,
      );
      await deps.store.digestRuns.setHeader(run.id, headerRef);
    }
    const posted: PaperCard[] = [];
    for (const post of queue) {
      const paper = listed.get(post.paperId);
      if (!paper) continue;
      const card = toCard(paper);
      if (post.status === "sent") {
        posted.push(card);
        continue;
      }
      if (post.status === "sending") {
        // It may or may not have gone out before the crash; never risk posting it twice.
        deps.logger.warn(
          { ...log, paper: post.paperId },
          "digest: a post was interrupted mid-send; not sending it again",
        );
        continue;
      }
      if (
        !(await deps.store.digestRuns.extend(
          run.id,
          deps.owner,
          new Date(deps.clock.now().getTime() + LEASE_MS),
        ))
      ) {
        return { status: "busy", localDate, reason: "the claim on this digest passed to another process" };
      }
      if (!(await deps.store.posts.markSending(post.id))) continue;
      let message: PostedMessage;
      try {
        message = await deps.poster.postPaper(channel, card, `paperboy-p${post.id}`);
      } catch (error) {
        // The platform said no (a "failed" post is one it refused): a retry may send it.
        await deps.store.posts.markFailed(post.id);
        throw error;
      }
      // Posted: if recording that fails, the post stays "sending" and is never sent again.
      await deps.store.posts.markSent(post.id, message.messageRef, message.threadRef ?? null);
      posted.push(card);
      await postBriefing(deps, channel, post, paper, message.threadRef ?? message.messageRef);
    }
    await deps.store.digestRuns.finish(run.id, {
      status: "done",
      papersPosted: posted.length,
      error: null,
      finishedAt: deps.clock.now(),
    });
    deps.logger.info({ ...log, papers: posted.length }, "digest posted");
    return { status: "posted", localDate, papers: posted, runId: run.id };
  } catch (error) {
    const permanent = error instanceof PlatformError && error.permanent;
    const delay = BACKOFF_MINUTES[Math.min(run.attempts - 1, BACKOFF_MINUTES.length - 1)] as number;
    // A permanent refusal (bot removed from the channel…) waits for tomorrow rather than hammering.
    const retryAt = new Date(deps.clock.now().getTime() + (permanent ? 24 * 60 : delay) * 60_000);
    const reason = error instanceof Error ? error.message : String(error);
    await deps.store.digestRuns.finish(run.id, {
      status: "failed",
      papersPosted: 0,
      error: reason,
      finishedAt: deps.clock.now(),
      retryAt,
    });
    deps.logger.error({ ...log, err: reason, attempt: run.attempts, retryAt }, "digest failed");
    return { status: "failed", localDate, reason, permanent, retryAt };
  }
}

/**
 * Moves a channel's schedule past a local date that has been dealt with, unless its settings changed
 * meanwhile (a /papers subscribe during the digest set its next time already).
 */
export async function advanceSchedule(store: Store, channel: Channel, after: Date): Promise<void> {
  await store.channels.setNextDigest(channel.id, nextDigestAt(channel, after), channel.nextDigestAt);
}
