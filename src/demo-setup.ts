import { resolve } from "node:path";
import { subscribeCommand } from "./core/commands/subscribe.js";
import { nextDigestAt } from "./core/digests/schedule.js";
import { DIGEST_WINDOW_DAYS } from "./core/digests/select-papers.js";
import { ingestPapers } from "./core/ingest/ingest-papers.js";
import { refreshPapers } from "./core/ingest/refresh-papers.js";
import { TERMINAL_CHANNEL } from "./platforms/terminal/terminal-platform.js";
import type { Runtime } from "./runtime.js";

export const SAMPLE_PAGE = resolve(import.meta.dirname, "../samples/hf-papers-page.txt");

/**
 * What a new user sees first: the terminal channel subscribed, today's papers fetched (or, offline,
 * the bundled sample page of 100 papers) so there is a digest to read.
 */
export async function prepareTerminalDemo(runtime: Runtime, say: (text: string) => void): Promise<void> {
  const { store, clock, logger } = runtime;
  let channel = await store.channels.ensure(TERMINAL_CHANNEL);
  if (!channel.subscribed) {
    const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    await subscribeCommand.run(
      runtime.core.deps,
      { address: TERMINAL_CHANNEL, userRef: "terminal", isAdmin: true, timezone },
      {},
    );
    channel = (await store.channels.byId(channel.id)) ?? channel;
  }
  // The daily schedule would wait for tomorrow; today's digest is shown now.
  await store.channels.setNextDigest(channel.id, nextDigestAt(channel, clock.now()));
  const fresh = await refreshPapers({
    store,
    sources: runtime.refreshSources(),
    clock,
    logger,
    query: runtime.config.ARXIV_CATEGORIES,
  });
  const recent = await store.papers.trending(clock.now(), {
    limit: 1,
    since: new Date(clock.now().getTime() - DIGEST_WINDOW_DAYS * 86_400_000),
  });
  if (fresh === 0 && recent.length === 0) {
    say("Could not fetch today's papers (offline?); loading the bundled sample of 100 papers instead.");
    const loaded = await ingestPapers(
      store.papers,
      runtime.source("file"),
      { file: SAMPLE_PAGE },
      clock.now(),
    );
    if (!loaded.ok) say(`The sample could not be loaded: ${loaded.error}`);
  }
}
