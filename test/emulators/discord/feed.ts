/**
 * An append-only log that tests can await on. `waitFor` looks at what already arrived first, so a
 * test never races the thing it waits for, then listens for new items; there is no polling.
 */
export class Feed<T> {
  readonly items: T[] = [];
  private readonly listeners = new Set<(item: T) => void>();

  constructor(
    private readonly what: string,
    private readonly describe: (item: T) => string,
  ) {}

  push(item: T): void {
    this.items.push(item);
    for (const listener of [...this.listeners]) listener(item);
  }

  waitFor(predicate: (item: T) => boolean, timeoutMs = 5_000, label = "the predicate"): Promise<T> {
    const found = this.items.find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const listener = (item: T) => {
        if (!predicate(item)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(item);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        const seen = this.items.map((item) => `  - ${this.describe(item)}`).join("\n") || "  (nothing)";
        reject(
          new Error(
            `Discord emulator: no ${this.what} matched ${label} within ${timeoutMs} ms. Seen:\n${seen}`,
          ),
        );
      }, timeoutMs);
      this.listeners.add(listener);
    });
  }

  clear(): void {
    this.items.length = 0;
  }
}
