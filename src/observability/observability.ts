import type { Server } from "node:http";
import type { ChatPlatform } from "../core/chat-platform.js";
import type { Logger } from "../core/ports.js";
import type { Database } from "../db/client.js";
import { type HealthRoute, healthRoutes } from "./health-routes.js";
import { startHealthServer } from "./health-server.js";
import { PromMetrics } from "./metrics.js";
import { checkReadiness, type Readiness } from "./readiness.js";

/**
 * A process's metrics and its health endpoints. The endpoints are served once per process: by
 * Bolt's HTTP receiver when Slack runs in HTTP mode (it already listens on PORT), else by `serve`.
 */
export class Observability {
  readonly metrics: PromMetrics;
  private readonly routes: HealthRoute[];
  private platforms: readonly ChatPlatform[] = [];
  private mounted = false;
  private server: Server | null = null;

  constructor(
    private readonly db: Pick<Database, "ping" | "kind" | "postgres">,
    private readonly logger: Logger,
    options: { processMetrics?: boolean } = {},
  ) {
    this.metrics = new PromMetrics(options);
    this.metrics.databaseMaxConnections(db.postgres?.options.max ?? 1);
    this.routes = healthRoutes({ readiness: () => this.readiness(), metrics: this.metrics, logger });
  }

  /** The routes, for a server that listens anyway; `serve` then starts no server of its own. */
  mountRoutes(): HealthRoute[] {
    this.mounted = true;
    return this.routes;
  }

  /** The platforms readiness waits for (all the bot joined). */
  watch(platforms: readonly ChatPlatform[]): void {
    this.platforms = platforms;
  }

  async readiness(): Promise<Readiness> {
    const readiness = await checkReadiness(this.db, this.platforms);
    this.metrics.databaseUp(readiness.database === "up");
    return readiness;
  }

  /** Listens on `port` unless the routes were mounted elsewhere; a port in use is logged, not fatal. */
  async serve(port: number): Promise<void> {
    if (this.mounted || this.server) return;
    this.server = await startHealthServer(this.routes, port, this.logger);
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }
}
