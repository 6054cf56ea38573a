/** What arrived from a platform, as counted in paperboy_events_received_total. */
export type EventKind = "command" | "reaction" | "mention" | "thread_reply";

/**
 * How a command ended: ok; error (the reply is an error the user can act on: not allowed, nothing
 * found…); invalid (the text did not parse); failed (it threw: a fault for the operator).
 */
export type CommandOutcome = "ok" | "error" | "invalid" | "failed";

/**
 * What the core reports for monitoring. The bot plugs Prometheus in; tests and one-shot CLI commands
 * get `noMetrics`, so the core never depends on a metrics library.
 */
export interface Metrics {
  eventReceived(platform: string, kind: EventKind): void;
  commandFinished(command: string, outcome: CommandOutcome, seconds: number): void;
  /** A reaction's outcome: recorded, unchanged, buffered (held while the database is down), ignored-…, failed. */
  voteRecorded(outcome: string): void;
  /** Votes lost for good (e.g. a buffer held during a database outage overflowed or gave up). */
  votesDropped(count: number): void;
  /** A digest run's result status (posted, empty, busy, failed…), or "error" when it threw. */
  digestRun(outcome: string): void;
  sourceFetched(source: string, outcome: "ok" | "error"): void;
}

export const noMetrics: Metrics = {
  eventReceived() {},
  commandFinished() {},
  voteRecorded() {},
  votesDropped() {},
  digestRun() {},
  sourceFetched() {},
};

/** Seconds since a `performance.now()` reading. */
export const secondsSince = (started: number): number => (performance.now() - started) / 1000;
