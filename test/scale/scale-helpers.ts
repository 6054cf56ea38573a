/**
 * Small pieces the scale-out tests share: a seeded shuffle (the same "random" delivery order on every
 * run, so a failure can be replayed), a bounded-concurrency loop, and a time zone where it is midday.
 */

/** mulberry32: a tiny seeded PRNG, enough to shuffle test deliveries reproducibly. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seeded(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Runs `work` over `items` with at most `width` at once, like a sender with a few open connections. */
export async function inParallel<T, R>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return results;
}

/**
 * A fixed-offset IANA zone ("Etc/GMT-5" is UTC+5) where it is about noon now, so a digest made due
 * "now" is for today in that zone whatever the hour in UTC (a digest whose local day is over by the
 * time the scheduler ticks is skipped, rightly, and a test near midnight would see nothing posted).
 */
export function middayZone(now = new Date()): string {
  const offset = 12 - now.getUTCHours(); // -11 … +12
  if (offset === 0) return "UTC";
  // The Etc zones' signs are POSIX-style: Etc/GMT-5 is five hours ahead of UTC.
  return offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}
