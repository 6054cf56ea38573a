const waiting: (() => void)[] = [];
let scheduled = false;

function releaseOne(): void {
  scheduled = false;
  waiting.shift()?.();
  if (waiting.length > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(releaseOne);
}

/**
 * Resolves on a later turn of the event loop, one waiter per turn, after the I/O that is ready. A search
 * costs milliseconds of CPU; run back to back under load, searches would keep a platform's next request
 * from being read and acknowledged (Slack wants its ack within 3 s, and the user sees the ack). Taking
 * turns, each search waits behind the pending I/O instead: acks first, answers one by one.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    schedule();
  });
}
