/**
 * Work started by platform events that is still running (a vote being written, a command being
 * answered): so a command can wait for the votes that arrived before it, and a stop can let
 * running work finish instead of cutting it off.
 */
export class InFlight {
  private readonly tasks = new Set<Promise<unknown>>();

  /** Runs `task` as tracked work; its result (or failure) is passed through. */
  track<T>(task: Promise<T>): Promise<T> {
    this.tasks.add(task);
    const done = () => void this.tasks.delete(task);
    task.then(done, done);
    return task;
  }

  get size(): number {
    return this.tasks.size;
  }

  /**
   * Resolves once everything running now has finished, whether it succeeded or not; or after
   * `timeoutMs`, if given, whatever is still running.
   */
  async settled(timeoutMs?: number): Promise<void> {
    const all = Promise.allSettled([...this.tasks]);
    if (timeoutMs === undefined) {
      await all;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    try {
      await Promise.race([all, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits for running work, including work started meanwhile, up to `timeoutMs`; true if all finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      while (this.tasks.size > 0) {
        if ((await Promise.race([this.settled().then(() => true), late])) === false) return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }
}
