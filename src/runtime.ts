import { hostname } from "node:os";
import type { Logger } from "pino";
import type { Config } from "./config.js";
import type { PaperSource } from "./core/paper-source.js";
import { createPaperboy, type Paperboy } from "./core/paperboy.js";
import type { Clock, Store } from "./core/ports.js";
import { DEFAULT_EMOJI_ACTIONS, parseEmojiActions } from "./core/votes/emoji-actions.js";
import { type Database, openDatabase } from "./db/client.js";
import { createStore } from "./db/store.js";
import { type SourceName, sources } from "./sources/registry.js";

/** Everything a command of the CLI works with, opened once. */
export interface Runtime {
  config: Config;
  logger: Logger;
  db: Database;
  store: Store;
  core: Paperboy;
  clock: Clock;
  /** This process in digest claims: host, pid and a random part, unique across restarts. */
  owner: string;
  source(name: SourceName): PaperSource;
  /** The sources the scheduler refreshes from (PAPERBOY_SOURCES). */
  refreshSources(): PaperSource[];
  close(): Promise<void>;
}

export const systemClock: Clock = { now: () => new Date() };

export async function openRuntime(
  config: Config,
  logger: Logger,
  command: string,
  clock: Clock = systemClock,
): Promise<Runtime> {
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.PAPERBOY_DATA_DIR,
    command,
  });
  try {
    await db.migrate();
  } catch (error) {
    await db.close();
    throw error;
  }
  const store = createStore(db);
  const emoji = parseEmojiActions(config.PAPERBOY_VOTE_EMOJI);
  if (!emoji.ok) logger.warn({ err: emoji.error }, "PAPERBOY_VOTE_EMOJI ignored; using the default emoji");
  const core = createPaperboy({
    store,
    clock,
    logger,
    admins: config.PAPERBOY_ADMINS,
    defaults: { timezone: config.PAPERBOY_TIMEZONE, digestTime: config.PAPERBOY_DIGEST_TIME },
    emojiActions: emoji.ok ? emoji.value : new Map(Object.entries(DEFAULT_EMOJI_ACTIONS)),
  });
  const sourceConfig = { hfBaseUrl: config.HF_BASE_URL, arxivBaseUrl: config.ARXIV_BASE_URL };
  const made = new Map<SourceName, PaperSource>();
  const source = (name: SourceName) => {
    const existing = made.get(name);
    if (existing) return existing;
    const created = sources[name](sourceConfig);
    made.set(name, created);
    return created;
  };
  return {
    config,
    logger,
    db,
    store,
    core,
    clock,
    owner: `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`,
    source,
    refreshSources: () => config.PAPERBOY_SOURCES.map((name) => source(name)),
    close: () => db.close(),
  };
}
