import type { Channel } from "../channel.js";
import type { DigestPoster, ImageFile } from "../chat-platform.js";
import type { Clock, ListedPaper, Logger, Store } from "../ports.js";
import { recapReply, weekLabel } from "./recap-reply.js";
import { recapWeek } from "./recap-week.js";
import { renderWeeklyChart } from "./weekly-chart.js";

const LEASE_MS = 2 * 60_000;
const RETRY_MS = 15 * 60_000;
const KIND = "weekly";

export interface RecapDeps {
  store: Store;
  poster: DigestPoster;
  clock: Clock;
  logger: Logger;
  owner: string;
  /** Draws the chart (tests may swap it); the real one renders a PNG in-process. */
  renderChart?: (papers: ListedPaper[], title: string) => Promise<ImageFile>;
}

export type RecapResult =
  | { status: "posted"; week: string; messageRef: string }
  | {
      status: "empty" | "already-done" | "busy" | "not-due" | "unsupported" | "failed";
      week?: string;
      reason: string;
    };

/**
 * The weekly recap of a channel, posted with its first digest on or after the recap day. Exactly once
 * per channel and week: the digest-run claim of kind "weekly" for the recap day's local date decides
 * which process posts it.
 */
export async function runWeeklyRecap(
  deps: RecapDeps,
  channel: Channel,
  localDate: string,
  weekday: number,
): Promise<RecapResult> {
  const postImage = deps.poster.postImage?.bind(deps.poster);
  if (!postImage) return { status: "unsupported", reason: `${channel.platform} can't post images` };
  const week = recapWeek(localDate, weekday);
  if (!week) return { status: "not-due", reason: `no recap is due on ${localDate}` };
  const now = deps.clock.now();
  const run = await deps.store.digestRuns.claim(
    channel.id,
    week.key,
    KIND,
    deps.owner,
    now,
    new Date(now.getTime() + LEASE_MS),
  );
  if (!run) {
    const existing = await deps.store.digestRuns.get(channel.id, week.key, KIND);
    return existing && ["done", "empty", "skipped"].includes(existing.status)
      ? {
          status: "already-done",
          week: week.key,
          reason: `the recap of ${week.key} already ran (${existing.status})`,
        }
      : {
          status: "busy",
          week: week.key,
          reason: "another process is posting this recap, or it failed too often",
        };
  }
  const finish = (status: "done" | "empty" | "failed", papersPosted: number, error: string | null) =>
    deps.store.digestRuns.finish(run.id, {
      status,
      papersPosted,
      error,
      finishedAt: deps.clock.now(),
      ...(status === "failed" ? { retryAt: new Date(deps.clock.now().getTime() + RETRY_MS) } : {}),
    });
  try {
    const papers = await deps.store.recaps.week(channel.id, week.from, week.to, 10);
    if (!papers.some((p) => p.votes > 0 || p.replies > 0)) {
      await finish("empty", 0, null);
      return { status: "empty", week: week.key, reason: "no votes or discussion last week" };
    }
    const chart = await (deps.renderChart ?? renderWeeklyChart)(
      papers,
      `Top papers by votes · ${weekLabel(week)}`,
    );
    const messageRef = await postImage(channel, recapReply(papers, week), chart);
    await deps.store.digestRuns.setHeader(run.id, messageRef);
    await finish("done", papers.length, null);
    deps.logger.info(
      { channel: channel.channelRef, week: week.key, papers: papers.length },
      "weekly recap posted",
    );
    return { status: "posted", week: week.key, messageRef };
  } catch (error) {
    const reason = (error as Error).message;
    await finish("failed", 0, reason);
    deps.logger.error({ channel: channel.channelRef, week: week.key, err: reason }, "weekly recap failed");
    return { status: "failed", week: week.key, reason };
  }
}
