interface Waiter<T> {
  match: (item: T) => boolean;
  resolve: (item: T) => void;
  reject: (error: Error) => void;
}

/**
 * An append-only log that tests can await. Waiting is event-based (no polling), and it also looks at
 * items already logged, so a test that starts waiting after the app acted doesn't miss it.
 */
export class Recorder<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<Waiter<T>>();

  push(item: T): void {
    this.items.push(item);
    for (const waiter of [...this.waiters]) {
      if (waiter.match(item)) {
        this.waiters.delete(waiter);
        waiter.resolve(item);
      }
    }
  }

  /**
   * Resolves with the first item from index `since` on that matches, or rejects after `timeoutMs`
   * with `describe()` so the failure says what was seen instead.
   */
  waitFor(match: (item: T) => boolean, timeoutMs: number, since: number, describe: () => string): Promise<T> {
    const seen = this.items.slice(since).find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        match,
        resolve: (item) => {
          clearTimeout(timer);
          resolve(item);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs}ms: ${describe()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Fails every pending wait, so a stopped emulator leaves no timers behind. */
  rejectAll(reason: string): void {
    for (const waiter of this.waiters) waiter.reject(new Error(reason));
    this.waiters.clear();
  }
}

/** A short, one-line rendering of a payload for failure messages. */
export function brief(value: unknown, max = 160): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
