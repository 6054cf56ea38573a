import type { Channel } from "../core/channel.js";
import { advanceSchedule, runDigest } from "../core/digests/run-digest.js";
import { selectDigestPapers } from "../core/digests/select-papers.js";
import { refreshPapers } from "../core/ingest/refresh-papers.js";
import { clean } from "../platforms/terminal/render-text.js";
import type { Runtime } from "../runtime.js";
import { type CliCommand, needRuntime } from "./cli-command.js";
import { findChannel } from "./find-channel.js";
import { openPosters } from "./open-posters.js";

export const digestCommand: CliCommand = {
  name: "digest",
  usage: "digest [--channel ID] [--now] [--status]",
  summary: "preview, post (--now) or list (--status) digests",
  options: { channel: { type: "string" }, now: { type: "boolean" }, status: { type: "boolean" } },
  async run(context) {
    const runtime = needRuntime(context);
    if (context.values.status) return printStatus(runtime, context.values.channel as string | undefined);
    let channels: Channel[];
    if (context.values.channel) {
      const channel = await findChannel(runtime, String(context.values.channel));
      if (!channel) {
        console.error(
          `paperboy digest: no channel "${context.values.channel}" is known. Subscribe it first with /papers subscribe in that channel.`,
        );
        return 1;
      }
      channels = [channel];
    } else {
      channels = await runtime.store.channels.subscribed();
      if (channels.length === 0) {
        console.log(
          "No channel is subscribed yet: run /papers subscribe in a channel (or npm start for the terminal channel).",
        );
        return 0;
      }
    }
    if (!context.values.now) return preview(runtime, channels);
    await refreshPapers({
      store: runtime.store,
      sources: runtime.refreshSources(),
      clock: runtime.clock,
      logger: runtime.logger,
      query: runtime.config.ARXIV_CATEGORIES,
    });
    const { posters, close } = await openPosters(runtime);
    let failed = 0;
    try {
      for (const channel of channels) {
        const poster = posters.get(channel.platform);
        if (!poster) {
          console.log(
            `${channel.platform} ${channel.channelRef}: skipped, ${channel.platform} is not configured in this process`,
          );
          continue;
        }
        const result = await runDigest(
          {
            store: runtime.store,
            poster,
            select: selectDigestPapers,
            clock: runtime.clock,
            logger: runtime.logger,
            owner: runtime.owner,
          },
          channel,
        );
        if (result.status === "posted" || result.status === "empty" || result.status === "already-done") {
          if (channel.subscribed) await advanceSchedule(runtime.store, channel, runtime.clock.now());
        }
        if (result.status === "failed") failed++;
        const what =
          result.status === "posted"
            ? `posted ${result.papers.length} papers: ${result.papers.map((p) => p.id).join(", ")}`
            : `${result.status}: ${result.reason}`;
        console.log(`${channel.platform} ${channel.channelRef} ${result.localDate}: ${what}`);
      }
    } finally {
      await close();
    }
    return failed > 0 ? 1 : 0;
  },
};

async function preview(runtime: Runtime, channels: Channel[]): Promise<number> {
  for (const channel of channels) {
    const papers = await selectDigestPapers(runtime.store.papers, channel, runtime.clock.now());
    console.log(
      `${channel.platform} ${channel.channelRef}: ${papers.length} paper(s) would be posted${papers.length ? ":" : ""}`,
    );
    for (const paper of papers) console.log(`  ${clean(paper.id)}  ${clean(paper.title)}`);
  }
  console.log("(preview; add --now to post)");
  return 0;
}

async function printStatus(runtime: Runtime, channelRef: string | undefined): Promise<number> {
  const channel = channelRef ? await findChannel(runtime, channelRef) : null;
  if (channelRef && !channel) {
    console.error(`paperboy digest: no channel "${channelRef}" is known`);
    return 1;
  }
  const runs = await runtime.store.digestRuns.recent(30, channel?.id);
  if (runs.length === 0) console.log("No digest has run yet.");
  for (const run of runs) {
    const took = run.finishedAt
      ? `${((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000).toFixed(1)}s`
      : "unfinished";
    console.log(
      [
        run.localDate,
        `${run.platform}:${run.channelRef}`,
        run.status,
        `${run.papersPosted} papers`,
        `attempt ${run.attempts}`,
        took,
        run.error ?? "",
      ]
        .filter(Boolean)
        .join("  "),
    );
  }
  return 0;
}
