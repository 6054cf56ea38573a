export interface WriteBatcherOptions<I, O> {
  /** Writes items in one go; one output per item, in order. */
  write: (items: I[]) => Promise<O[]>;
  /** Items with the same key never share a write (one statement can't change a row twice). */
  key: (item: I) => string;
  /** Whether a failed write is worth trying again item by item (one bad item must not sink the rest). */
  retryAlone: (error: unknown) => boolean;
  maxBatch?: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: an item arriving while no write is in flight is written at once, alone; items
 * arriving during a write wait for it and then go together. A quiet bot pays no delay, and a busy one
 * pays one round trip and one commit for many items instead of one each.
 */
export class WriteBatcher<I, O> {
  private readonly queue: Pending<I, O>[] = [];
  private busy = false;
  private readonly maxBatch: number;

  constructor(private readonly options: WriteBatcherOptions<I, O>) {
    this.maxBatch = options.maxBatch ?? 500;
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.busy) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.busy = true;
    try {
      while (this.queue.length > 0) await this.writeBatch(this.take());
    } finally {
      this.busy = false;
    }
  }

  /** The next batch in arrival order; an item whose key is already in it waits for the next one. */
  private take(): Pending<I, O>[] {
    const batch: Pending<I, O>[] = [];
    const keys = new Set<string>();
    let kept = 0;
    for (const pending of this.queue) {
      const key = this.options.key(pending.item);
      if (batch.length < this.maxBatch && !keys.has(key)) {
        keys.add(key);
        batch.push(pending);
      } else {
        this.queue[kept++] = pending;
      }
    }
    this.queue.length = kept;
    return batch;
  }

  private async writeBatch(batch: Pending<I, O>[]): Promise<void> {
    try {
      const outputs = await this.options.write(batch.map((p) => p.item));
      for (const [i, p] of batch.entries()) p.resolve(outputs[i] as O);
    } catch (error) {
      if (batch.length === 1 || !this.options.retryAlone(error)) {
        for (const p of batch) p.reject(error);
        return;
      }
      for (const p of batch) {
        try {
          p.resolve((await this.options.write([p.item]))[0] as O);
        } catch (alone) {
          p.reject(alone);
        }
      }
    }
  }
}
