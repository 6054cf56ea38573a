import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../core/ports.js";
import type { PromMetrics } from "./metrics.js";
import type { Readiness } from "./readiness.js";

/** A GET route, in the shape Bolt's HTTPReceiver takes as `customRoutes` and our own server serves. */
export interface HealthRoute {
  path: string;
  method: string[];
  handler(req: IncomingMessage, res: ServerResponse): void;
}

export interface HealthRouteDeps {
  readiness(): Promise<Readiness>;
  metrics: PromMetrics;
  logger: Logger;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

/**
 * /healthz: the process is up (liveness). /readyz: the database answers and every platform is
 * connected (200), else 503 naming what is not. /metrics: Prometheus text.
 */
export function healthRoutes(deps: HealthRouteDeps): HealthRoute[] {
  const guarded =
    (what: string, answer: (res: ServerResponse) => Promise<void>) =>
    (_req: IncomingMessage, res: ServerResponse) => {
      answer(res).catch((error: Error) => {
        deps.logger.error({ err: error.message, path: what }, "health endpoint failed");
        if (!res.headersSent)
          send(res, 500, "text/plain; charset=utf-8", `${what} failed: ${error.message}\n`);
        else res.end();
      });
    };
  return [
    {
      path: "/healthz",
      method: ["GET"],
      handler: (_req, res) => send(res, 200, "text/plain; charset=utf-8", "ok\n"),
    },
    {
      path: "/readyz",
      method: ["GET"],
      handler: guarded("/readyz", async (res) => {
        const readiness = await deps.readiness();
        send(res, readiness.ready ? 200 : 503, "application/json", `${JSON.stringify(readiness)}\n`);
      }),
    },
    {
      path: "/metrics",
      method: ["GET"],
      handler: guarded("/metrics", async (res) => {
        send(res, 200, deps.metrics.contentType, await deps.metrics.text());
      }),
    },
  ];
}
