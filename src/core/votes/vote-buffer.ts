import { DatabaseUnavailableError } from "../database-unavailable.js";
import type { Logger } from "../ports.js";
import type { ReactionEvent, ReactionOutcome } from "./record-reaction.js";

/** "buffered": the database is away; the reaction is held and written, in order, once it is back. */
export type VoteOutcome = ReactionOutcome | "buffered";

/** Why votes were dropped: the buffer was full, a held vote failed for good, or the process stopped. */
export type DropReason = "full" | "failed" | "shutdown";

export interface VoteBufferOptions {
  record: (event: ReactionEvent) => Promise<ReactionOutcome>;
  logger: Logger;
  /** Reactions held at most; beyond it new ones are dropped (and logged and counted). */
  capacity?: number;
  /** The longest wait between two tries while the database is away. */
  maxBackoffMs?: number;
}

const FIRST_BACKOFF_MS = 100;
/** While flushing at shutdown the database is tried this often, so a return is not missed. */
const FLUSH_BACKOFF_MS = 200;

interface Held {
  seq: number;
  event: ReactionEvent;
}

/**
 * Records reactions, holding them in memory while the database is unavailable and writing them in
 * arrival order when it returns. A replay is harmless: a vote is stored with its event's time and
 * the newer event wins, so a vote written just before the connection broke is not counted twice.
 */
export class VoteBuffer {
  private readonly queue: Held[] = [];
  private readonly capacity: number;
  private readonly maxBackoffMs: number;
  private readonly dropListeners = new Set<(count: number, reason: DropReason) => void>();
  private seq = 0;
  private draining: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private flushing = false;
  private stopped = false;
  /** Since the buffer was last empty: for the log line when the database is back. */
  private written = 0;
  private droppedFull = 0;

  constructor(private readonly options: VoteBufferOptions) {
    this.capacity = options.capacity ?? 10_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 3_000;
  }

  /** Reactions waiting for the database. */
  get size(): number {
    return this.queue.length;
  }

  /** Hears every drop with its count (the votes-dropped metric); returns the way to stop hearing. */
  onDrop(listener: (count: number, reason: DropReason) => void): () => void {
    this.dropListeners.add(listener);
    return () => void this.dropListeners.delete(listener);
  }

  async reaction(event: ReactionEvent): Promise<VoteOutcome> {
    const seq = ++this.seq;
    // Behind held votes a reaction waits its turn, so votes reach the database in the order they came.
    if (this.queue.length > 0) return this.hold({ seq, event });
    try {
      return await this.options.record(event);
    } catch (error) {
      if (!(error instanceof DatabaseUnavailableError)) throw error;
      return this.hold({ seq, event }, error);
    }
  }

  /**
   * Writes what is held, trying the database often, for at most `timeoutMs`; then stops. Whatever is
   * still held is lost: logged with its count and reported to the drop listeners. Returns that count.
   */
  async flush(timeoutMs: number): Promise<number> {
    this.flushing = true;
    this.wake?.();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, timeoutMs));
    });
    try {
      await Promise.race([this.draining ?? Promise.resolve(), late]);
    } finally {
      clearTimeout(timer);
    }
    this.stopped = true;
    this.wake?.();
    const lost = this.queue.length;
    if (lost > 0) {
      this.options.logger.error(
        { lost, droppedWhileFull: this.droppedFull, capacity: this.capacity },
        "shutdown: votes held while the database was unavailable were not written and are lost",
      );
      this.queue.length = 0;
      this.dropped(lost, "shutdown");
    }
    return lost;
  }

  private hold(held: Held, cause?: DatabaseUnavailableError): VoteOutcome {
    if (this.stopped) {
      this.options.logger.error({ lost: 1 }, "a vote arrived after the shutdown flush; lost");
      this.dropped(1, "shutdown");
      return "buffered";
    }
    if (this.queue.length >= this.capacity) {
      if (this.droppedFull === 0) {
        this.options.logger.warn(
          { capacity: this.capacity, dropped: 1 },
          "vote buffer full; new reactions are dropped until the database is back",
        );
      }
      this.droppedFull += 1;
      this.dropped(1, "full");
      return "buffered";
    }
    if (this.queue.length === 0 && !this.draining) {
      this.options.logger.warn(
        { err: cause?.message },
        "database unavailable; holding votes until it is back",
      );
    }
    // Sorted by arrival: reactions tried at the same time may fail in any order.
    let at = this.queue.length;
    while (at > 0 && (this.queue[at - 1] as Held).seq > held.seq) at -= 1;
    this.queue.splice(at, 0, held);
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
    return "buffered";
  }

  private async drain(): Promise<void> {
    let backoff = FIRST_BACKOFF_MS;
    while (this.queue.length > 0 && !this.stopped) {
      const head = this.queue[0] as Held;
      try {
        await this.options.record(head.event);
        this.written += 1;
        backoff = FIRST_BACKOFF_MS;
      } catch (error) {
        if (error instanceof DatabaseUnavailableError) {
          await this.pause(this.flushing ? FLUSH_BACKOFF_MS : backoff);
          backoff = Math.min(backoff * 2, this.maxBackoffMs);
          continue;
        }
        // Not the database being away: trying again won't help, and it must not block the others.
        this.options.logger.error(
          { err: (error as Error).message, user: head.event.userRef, message: head.event.messageRef },
          "a held vote could not be written; dropped",
        );
        this.dropped(1, "failed");
      }
      if (this.queue[0] === head) this.queue.shift();
    }
    if (this.queue.length === 0 && (this.written > 0 || this.droppedFull > 0)) {
      const log = this.droppedFull > 0 ? this.options.logger.warn : this.options.logger.info;
      log.call(
        this.options.logger,
        { written: this.written, dropped: this.droppedFull },
        "database back; held votes written",
      );
      this.written = 0;
      this.droppedFull = 0;
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      // Held votes alone don't keep the process alive; the shutdown flush decides when to give up.
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  private dropped(count: number, reason: DropReason): void {
    for (const listener of this.dropListeners) listener(count, reason);
  }
}
