import { hostname } from "node:os";
import { join, resolve } from "node:path";
import type { Logger } from "pino";
import type { Config } from "./config.js";
import type { DiscussionDeps } from "./core/discussion/answer-question.js";
import { createFullTextFetcher } from "./core/discussion/full-text-fetcher.js";
import { createLlmClient } from "./core/discussion/llm-client.js";
import type { PaperSource } from "./core/paper-source.js";
import { createPaperboy, type Paperboy } from "./core/paperboy.js";
import type { Clock, PaperStore, Store } from "./core/ports.js";
import { createEmbeddingsClient } from "./core/search/embeddings-client.js";
import { LiveSearchIndex } from "./core/search/live-search-index.js";
import { PaperEmbedder } from "./core/search/paper-embedder.js";
import { SemanticReranker } from "./core/search/semantic-rerank.js";
import { DEFAULT_EMOJI_ACTIONS, parseEmojiActions } from "./core/votes/emoji-actions.js";
import { type Database, openDatabase } from "./db/client.js";
import { databaseIdentity } from "./db/index-snapshot-file.js";
import { createStore } from "./db/store.js";
import { Observability } from "./observability/observability.js";
import { timeStore } from "./observability/time-store.js";
import { type SourceName, sources } from "./sources/registry.js";
import { ThreadedIndexHost } from "./threads/threaded-index-host.js";

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
  /** The in-process search index (commands that search keep one; loading in the background). */
  searchIndex: LiveSearchIndex | undefined;
  /** Metrics, and the health endpoints the bot serves (src/observability). */
  observability: Observability;
  close(): Promise<void>;
}

export const systemClock: Clock = { now: () => new Date() };

/** Commands that answer searches keep an index; one-shot commands (ingest, digest…) don't pay for it. */
const SEARCHING_COMMANDS = new Set(["start", "search"]);

function openSearchIndex(
  config: Config,
  logger: Logger,
  store: Store,
  command: string,
): LiveSearchIndex | undefined {
  if (config.PAPERBOY_SEARCH_INDEX === "off" || !SEARCHING_COMMANDS.has(command)) return undefined;
  const dataDir = resolve(config.PAPERBOY_DATA_DIR);
  const snapshots = {
    dir: resolve(config.PAPERBOY_INDEX_DIR ?? join(dataDir, "search-index")),
    database: databaseIdentity(config.DATABASE_URL, dataDir),
  };
  // A thread of its own: ranking and snapshots run on another core than the one acknowledging requests.
  const index = new LiveSearchIndex({
    store: store.papers,
    logger,
    host: (onFailure) => new ThreadedIndexHost({ snapshots }, onFailure),
  });
  // In the background: the database's search answers until the index is ready.
  const load = () =>
    index.start().catch((error: Error) => {
      logger.warn({ err: error.message }, "search index failed to load; trying again in a minute");
      setTimeout(load, 60_000).unref();
    });
  void load();
  return index;
}

export async function openRuntime(
  config: Config,
  logger: Logger,
  command: string,
  clock: Clock = systemClock,
): Promise<Runtime> {
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_MAX,
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
  // Aborted on close: a request still waiting on a model (an answer, an embedding) must not hold the
  // process open.
  const shutdown = new AbortController();
  const observability = new Observability(db, logger, { processMetrics: command === "start" });
  timeStore(store, (operation, seconds) => observability.metrics.databaseQuery(operation, seconds));
  const searchIndex = openSearchIndex(config, logger, store, command);
  const embedder = command === "start" ? paperEmbedder(config, logger, store, shutdown.signal) : undefined;
  onPaperWrites(store.papers, () => {
    searchIndex?.markStale();
    embedder?.wake();
  });
  embedder?.start();
  const emoji = parseEmojiActions(config.PAPERBOY_VOTE_EMOJI);
  if (!emoji.ok) logger.warn({ err: emoji.error }, "PAPERBOY_VOTE_EMOJI ignored; using the default emoji");
  const core = createPaperboy({
    store,
    clock,
    logger,
    admins: config.PAPERBOY_ADMINS,
    defaults: { timezone: config.PAPERBOY_TIMEZONE, digestTime: config.PAPERBOY_DIGEST_TIME },
    emojiActions: emoji.ok ? emoji.value : new Map(Object.entries(DEFAULT_EMOJI_ACTIONS)),
    searchIndex,
    semanticSearch: semanticSearch(config, logger, shutdown.signal, embedder),
    discussion: discussionDeps(config, shutdown.signal),
    metrics: observability.metrics,
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
    searchIndex,
    observability,
    close: async () => {
      await embedder?.stop();
      shutdown.abort();
      await embedder?.settled();
      await observability.close();
      await searchIndex?.stop();
      await store.vectors.close();
      await db.close();
    },
  };
}

/** Papers this process writes are in its next search, not only after the next poll of the feed. */
function onPaperWrites(papers: PaperStore, written: () => void): void {
  const { upsert, bulkUpsert } = papers;
  papers.upsert = (batch, seenAt) => upsert.call(papers, batch, seenAt).finally(written);
  papers.bulkUpsert = (batches, seenAt, progress) =>
    bulkUpsert.call(papers, batches, seenAt, progress).finally(written);
}

function embeddingsClient(config: Config, timeoutMs: number, signal: AbortSignal) {
  if (!config.EMBEDDINGS_URL || !config.EMBEDDINGS_MODEL) return undefined;
  return createEmbeddingsClient({
    baseUrl: config.EMBEDDINGS_URL,
    apiKey: config.EMBEDDINGS_API_KEY,
    model: config.EMBEDDINGS_MODEL,
    timeoutMs,
    signal,
  });
}

/** A batch of papers takes an endpoint longer than the one query a search waits for. */
const BATCH_TIMEOUT_MS = 30_000;

/** The bot keeps every paper's vector in the database, when an embeddings endpoint is configured. */
function paperEmbedder(
  config: Config,
  logger: Logger,
  store: Store,
  signal: AbortSignal,
): PaperEmbedder | undefined {
  const timeoutMs = Math.max(config.EMBEDDINGS_TIMEOUT_MS, BATCH_TIMEOUT_MS);
  const client = embeddingsClient(config, timeoutMs, signal);
  return client && new PaperEmbedder({ client, vectors: store.vectors, logger });
}

/** Searches by meaning when an embeddings endpoint is configured; else none. */
function semanticSearch(
  config: Config,
  logger: Logger,
  signal: AbortSignal,
  embedder?: PaperEmbedder,
): SemanticReranker | undefined {
  const client = embeddingsClient(config, config.EMBEDDINGS_TIMEOUT_MS, signal);
  return client && new SemanticReranker(client, logger, embedder);
}

/** Where questions in threads get their text and, when configured, their model. */
function discussionDeps(config: Config, signal: AbortSignal): DiscussionDeps {
  return {
    fullText: createFullTextFetcher({
      arxivHtmlUrl: config.ARXIV_HTML_BASE_URL,
      hfBaseUrl: config.HF_BASE_URL,
      timeoutMs: config.PAPER_TEXT_TIMEOUT_MS,
    }),
    llm:
      config.LLM_BASE_URL && config.LLM_MODEL
        ? createLlmClient({
            baseUrl: config.LLM_BASE_URL,
            apiKey: config.LLM_API_KEY,
            model: config.LLM_MODEL,
            timeoutMs: config.LLM_TIMEOUT_MS,
            maxTokens: config.LLM_MAX_TOKENS,
            signal,
          })
        : null,
  };
}
