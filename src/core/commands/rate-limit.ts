import type { Clock } from "../ports.js";
import type { Reply } from "../reply.js";

export interface RateLimitOptions {
  /** Commands a user may send in a minute, on average. */
  perMinute: number;
  /** Commands a user may send at once after a quiet spell. */
  burst: number;
  /** Users tracked at most; past it, the least recently seen are forgotten. */
  maxUsers: number;
}

/**
 * 20 a minute with bursts of 10: a person at a keyboard, even clicking through searches and "Share in
 * channel" quickly, stays far below, while a script (or a hand on the up-arrow) hitting the database
 * with a search a second is slowed to one every 3 s. 10,000 users is ~1 MB of buckets.
 */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perMinute: 20, burst: 10, maxUsers: 10_000 };

/** A user's keys are clipped to this: platforms' ids are far shorter, and memory stays bounded. */
const MAX_KEY = 200;

interface Bucket {
  tokens: number;
  at: number;
}

export interface RateLimiter {
  /** Takes one command from the user's allowance: 0 when it may run, else the seconds to wait. */
  take(key: string): number;
  /** Users currently tracked. */
  readonly size: number;
}

/**
 * A token bucket per user, in this process. A bucket idle long enough to be full again is the same as
 * none, so it is dropped; the map is kept in least-recently-seen order, so those sit at its front.
 */
export function createRateLimiter(clock: Clock, options: RateLimitOptions = DEFAULT_RATE_LIMIT): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const perMs = options.perMinute / 60_000;
  const refillMs = options.burst / perMs;
  return {
    take(rawKey) {
      const key = rawKey.slice(0, MAX_KEY);
      const now = clock.now().getTime();
      for (const [oldKey, old] of buckets) {
        if (buckets.size < options.maxUsers && now - old.at < refillMs) break;
        buckets.delete(oldKey);
      }
      const bucket = buckets.get(key);
      // A clock that goes back (NTP) gives nothing back, and takes nothing away.
      const elapsed = bucket ? Math.max(0, now - bucket.at) : 0;
      const tokens = bucket ? Math.min(options.burst, bucket.tokens + elapsed * perMs) : options.burst;
      buckets.delete(key);
      if (tokens >= 1) {
        buckets.set(key, { tokens: tokens - 1, at: now });
        return 0;
      }
      buckets.set(key, { tokens, at: now });
      // Whole milliseconds first, so float dust never turns 2 s into 3.
      return Math.max(1, Math.ceil(Math.round((1 - tokens) / perMs) / 1000));
    },
    get size() {
      return buckets.size;
    },
  };
}

/** The answer to a command over the limit: only to the sender, with when to try again. */
export function rateLimitedReply(seconds: number): Reply {
  return {
    visibility: "ephemeral",
    tone: "info",
    title: `You're sending commands quickly; try again in ${seconds} s`,
    lines: [
      `Each person can send ${DEFAULT_RATE_LIMIT.perMinute} commands a minute, ${DEFAULT_RATE_LIMIT.burst} in a row.`,
    ],
  };
}
