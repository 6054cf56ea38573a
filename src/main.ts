import cron from "node-cron";
import type { ChatPlatform, DigestPoster } from "./core/chat-platform.js";
import { runDigest } from "./core/digests/run-digest.js";
import { selectDigestPapers } from "./core/digests/select-papers.js";
import { postBriefing } from "./core/discussion/post-briefing.js";
import { refreshPapers } from "./core/ingest/refresh-papers.js";
import { toCard } from "./core/paper-card.js";
import { prepareTerminalDemo } from "./demo-setup.js";
import { platforms } from "./platforms/registry.js";
import { COLOR, PLAIN, renderHeader } from "./platforms/terminal/render-text.js";
import { TERMINAL_CHANNEL, TerminalPlatform } from "./platforms/terminal/terminal-platform.js";
import type { Runtime } from "./runtime.js";
import { DigestScheduler } from "./scheduler/digest-scheduler.js";

/** The long-running bot: platforms, the digest scheduler, paper refreshes; stops cleanly on SIGTERM. */
export async function startBot(runtime: Runtime): Promise<void> {
  const { logger, observability } = runtime;
  const joined: ChatPlatform[] = [];
  for (const entry of platforms) {
    if (entry.enabled(runtime)) joined.push(await entry.create(runtime));
  }
  let stopping: Promise<void> | null = null;
  const refresh = () =>
    refreshPapers({
      store: runtime.store,
      sources: runtime.refreshSources(),
      clock: runtime.clock,
      logger,
      query: runtime.config.ARXIV_CATEGORIES,
      metrics: observability.metrics,
    }).then(() => undefined);

  let terminal: TerminalPlatform | null = null;
  if (joined.length === 0) {
    const style = process.stdout.isTTY ? COLOR : PLAIN;
    terminal = new TerminalPlatform({
      core: runtime.core,
      input: process.stdin,
      output: process.stdout,
      style,
      onEnd: () => void shutdown("end of input"),
    });
    terminal.print(style.bold("paperboy · terminal channel (no Slack or Discord token set)"));
    await prepareTerminalDemo(runtime, (text) => terminal?.print(style.dim(text)));
    joined.push(terminal);
  }

  const posters = new Map<string, DigestPoster>(joined.map((p) => [p.name, p.poster]));
  const scheduler = new DigestScheduler({
    store: runtime.store,
    posters,
    select: selectDigestPapers,
    clock: runtime.clock,
    logger,
    owner: runtime.owner,
    beforeDigests: refresh,
    recapWeekday: runtime.config.PAPERBOY_RECAP_DAY,
    searchIndex: runtime.searchIndex,
    metrics: observability.metrics,
  });
  if (terminal) await showTodaysDigest(runtime, terminal);
  const refreshTask = cron.schedule("17 * * * *", () => void refresh().catch(() => {}), {
    name: "paperboy-refresh",
    noOverlap: true,
  });

  async function shutdown(reason: string): Promise<void> {
    stopping ??= (async () => {
      logger.info({ reason }, "shutting down");
      const began = Date.now();
      const deadline = setTimeout(() => {
        logger.error("shutdown took over 10 s; exiting anyway");
        process.exit(1);
      }, 10_000);
      deadline.unref();
      await refreshTask.stop();
      await scheduler.stop();
      for (const platform of joined) await platform.stop().catch(() => {});
      // Votes held through a database outage get what is left of the 10 s, less time to close.
      await runtime.core.votes.flush(Math.max(500, began + 6_000 - Date.now()));
      await runtime.close();
      process.exitCode = 0;
    })();
    return stopping;
  }
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));

  // The terminal channel serves nothing: tests run several terminal bots at once.
  if (!terminal) {
    observability.watch(joined);
    await observability.serve(runtime.config.PORT);
  }
  for (const platform of joined) await platform.start();
  scheduler.start();
  logger.info({ platforms: joined.map((p) => p.name), database: runtime.db.kind }, "paperboy is running");
}

/** In the terminal, today's digest is shown at start: posted now, or reprinted if it already went out. */
async function showTodaysDigest(runtime: Runtime, terminal: TerminalPlatform): Promise<void> {
  const channel = await runtime.store.channels.find(TERMINAL_CHANNEL.platform, TERMINAL_CHANNEL.channelRef);
  if (!channel) return;
  const result = await runDigest(
    {
      store: runtime.store,
      poster: terminal.poster,
      select: selectDigestPapers,
      clock: runtime.clock,
      logger: runtime.logger,
      owner: runtime.owner,
    },
    channel,
  );
  if (result.status === "posted") return;
  const style = process.stdout.isTTY ? COLOR : PLAIN;
  const run = await runtime.store.digestRuns.get(channel.id, result.localDate, "daily");
  const posts = run ? (await runtime.store.posts.ofRun(run.id)).filter((p) => p.status === "sent") : [];
  if (posts.length === 0) {
    terminal.print(
      style.dim(
        `No new papers for today's digest (${result.reason}). Try /papers trending or /papers <topic>.`,
      ),
    );
    return;
  }
  terminal.print(
    renderHeader(
      {
        title: `Today's papers · ${result.localDate} (posted earlier)`,
        localDate: result.localDate,
        count: posts.length,
      },
      style,
    ),
  );
  for (const post of posts) {
    const paper = await runtime.store.papers.get(post.paperId);
    if (!paper) continue;
    const { messageRef } = terminal.show(toCard(paper), post.messageRef ?? undefined);
    await postBriefing(
      { ...runtime, poster: terminal.poster },
      channel,
      post,
      paper,
      post.threadRef ?? messageRef,
    );
  }
}
