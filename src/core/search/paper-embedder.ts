import type { Logger, PaperVectorStore } from "../ports.js";
import { type EmbeddingsClient, paperEmbeddingText } from "./embeddings-client.js";
import type { PaperLibrary } from "./semantic-rerank.js";

const PROGRESS_EVERY = 10_000;

export interface PaperEmbedderOptions {
  /** A client with a batch's patience: embedding 64 papers takes longer than one query. */
  client: EmbeddingsClient;
  vectors: PaperVectorStore;
  logger: Logger;
  /** Papers per embeddings request. */
  batch?: number;
  /** The first wait after a failure, doubled up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
  /** How often to look for papers other processes stored (this process's own writes wake it). */
  idleMs?: number;
}

/**
 * Keeps every paper's vector in the database, in the background: all papers on start, then the
 * ones stored since, so searches can find papers by meaning. A failing endpoint or database delays
 * it (retried with backoff), never the bot.
 */
export class PaperEmbedder implements PaperLibrary {
  /** The database holds this model's vectors: searches may ask it for the nearest papers. */
  ready = false;
  private disabled = false;
  private stopped = false;
  private running: Promise<void> | undefined;
  private again = false;
  private after = "";
  private failures = 0;
  private embedded = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: PaperEmbedderOptions) {}

  /** Where the vectors are, for the searches that look them up once `ready`. */
  get vectors(): PaperVectorStore {
    return this.options.vectors;
  }

  start(): void {
    this.wake();
  }

  /** Papers were stored: embed them now (or right after the run in progress). */
  wake(): void {
    if (this.stopped || this.disabled) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.run().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  /**
   * No new batch starts; one in flight has up to `graceMs` to finish (an embeddings call can take
   * 30 s). The caller then aborts the client's requests (its signal) and waits for `settled()`: cut
   * off, a batch stores nothing, and its papers are embedded next start.
   */
  async stop(graceMs = 2_000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }

  /** Resolves when no run is in progress (tests wait for a backfill with it). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private later(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.wake(), ms);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    const { client, vectors, logger, batch = 64, idleMs = 600_000 } = this.options;
    try {
      if (!this.ready && !(await this.prepare())) return;
      while (!this.stopped) {
        const filled = await vectors.fillMissing(this.after, batch, (papers) =>
          client.embed(papers.map(paperEmbeddingText)),
        );
        if (!filled.ok) return this.failed(filled.error);
        this.failures = 0;
        if (filled.value.busy) return this.later(idleMs / 10);
        this.embedded += filled.value.stored;
        // A first backfill of a large library takes hours: say now and then how far it is.
        if (this.embedded % PROGRESS_EVERY < filled.value.stored)
          logger.info({ papers: this.embedded, model: client.model }, "embedding papers");
        if (filled.value.last === null) {
          if (this.embedded > 0)
            logger.info({ papers: this.embedded, model: client.model }, "papers embedded");
          this.after = "";
          this.embedded = 0;
          return this.later(idleMs);
        }
        this.after = filled.value.last;
      }
    } catch (error) {
      this.failed((error as Error).message);
    }
  }

  /** Learns the model's dimensions from one embedding and readies the database for them. */
  private async prepare(): Promise<boolean> {
    const { client, vectors, logger } = this.options;
    const probe = await client.embed(["paperboy"]);
    if (!probe.ok) {
      this.failed(probe.error);
      return false;
    }
    const prepared = await vectors.prepare(client.model, probe.value[0]?.length ?? 0);
    if (!prepared.ok) {
      // Nothing a retry would change: searches go on reordering text matches by meaning.
      this.disabled = true;
      logger.warn(
        { reason: prepared.error },
        "papers are not embedded; searches rerank text matches by meaning only",
      );
      return false;
    }
    this.ready = true;
    return true;
  }

  private failed(error: string): void {
    // A request cut off by stop() is not a fault worth a warning.
    if (this.stopped) return;
    const { retryMs = 30_000, maxRetryMs = 600_000 } = this.options;
    const wait = Math.min(retryMs * 2 ** this.failures, maxRetryMs);
    this.failures += 1;
    this.options.logger.warn({ err: error, retryInMs: wait }, "embedding papers failed; trying again later");
    this.later(wait);
  }
}
