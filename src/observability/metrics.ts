import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { CommandOutcome, EventKind, Metrics } from "../core/metrics.js";

/** Commands answer in milliseconds from the index, seconds when a model or the database is slow. */
const COMMAND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const QUERY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/**
 * The core's metrics port in Prometheus terms, on a registry of its own (so nothing else in the
 * process, nor a second instance in a test, adds to or collides with it).
 */
export class PromMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly commands = new Histogram({
    name: "paperboy_command_duration_seconds",
    help: "Time to answer a /papers command (or a mention answered like one), by subcommand and outcome.",
    labelNames: ["command", "outcome"] as const,
    buckets: COMMAND_BUCKETS,
    registers: [this.registry],
  });
  private readonly events = new Counter({
    name: "paperboy_events_received_total",
    help: "Events received from chat platforms, by platform and kind (command, reaction, mention, thread_reply).",
    labelNames: ["platform", "kind"] as const,
    registers: [this.registry],
  });
  private readonly votes = new Counter({
    name: "paperboy_votes_total",
    help: "Reactions handled, by outcome (recorded, unchanged, buffered, ignored-bot, ignored-emoji, not-a-paper-post, failed).",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  private readonly dropped = new Counter({
    name: "paperboy_votes_dropped_total",
    help: "Votes lost for good (not stored and no longer held for a retry).",
    registers: [this.registry],
  });
  private readonly digests = new Counter({
    name: "paperboy_digest_runs_total",
    help: "Digest runs, by outcome (posted, empty, skipped, already-done, busy, failed, error).",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  private readonly fetches = new Counter({
    name: "paperboy_source_fetches_total",
    help: "Fetches from paper sources, by source and outcome (ok, error).",
    labelNames: ["source", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly databaseUpGauge = new Gauge({
    name: "paperboy_database_up",
    help: "1 when the last readiness check's `select 1` answered within a second, else 0.",
    registers: [this.registry],
  });
  private readonly queries = new Histogram({
    name: "paperboy_database_query_seconds",
    help: "Time of each store call (one or a few SQL statements), by store operation.",
    labelNames: ["operation"] as const,
    buckets: QUERY_BUCKETS,
    registers: [this.registry],
  });
  private readonly maxConnections = new Gauge({
    name: "paperboy_database_pool_max_connections",
    help: "Connections the database client may open: its configured maximum, not the number open (postgres.js reports no pool state); 1 for the embedded database.",
    registers: [this.registry],
  });

  /** `processMetrics`: CPU, memory, event loop lag… of this process, for the long-running bot. */
  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: "paperboy_" });
  }

  eventReceived(platform: string, kind: EventKind): void {
    this.events.inc({ platform, kind });
  }

  commandFinished(command: string, outcome: CommandOutcome, seconds: number): void {
    this.commands.observe({ command, outcome }, seconds);
  }

  voteRecorded(outcome: string): void {
    this.votes.inc({ outcome });
  }

  votesDropped(count: number): void {
    if (count > 0) this.dropped.inc(count);
  }

  digestRun(outcome: string): void {
    this.digests.inc({ outcome });
  }

  sourceFetched(source: string, outcome: "ok" | "error"): void {
    this.fetches.inc({ source, outcome });
  }

  databaseUp(up: boolean): void {
    this.databaseUpGauge.set(up ? 1 : 0);
  }

  databaseQuery(operation: string, seconds: number): void {
    this.queries.observe({ operation }, seconds);
  }

  databaseMaxConnections(count: number): void {
    this.maxConnections.set(count);
  }

  /** The Prometheus text exposition of everything above. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
