import { createServer, type Server } from "node:http";
import type { Logger } from "../core/ports.js";
import type { HealthRoute } from "./health-routes.js";

/**
 * Serves the health routes on PORT when no Slack HTTP receiver does (Discord only, Slack Socket
 * Mode). A port that can't be listened on is logged and the bot runs on without the endpoints:
 * chatting matters more than being probed. Resolves with the server, or null when it isn't listening.
 */
export async function startHealthServer(
  routes: readonly HealthRoute[],
  port: number,
  logger: Logger,
): Promise<Server | null> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const route = routes.find((r) => r.path === path);
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end(`Not found. Try ${routes.map((r) => r.path).join(", ")}.\n`);
      return;
    }
    if (!route.method.includes(req.method ?? "GET")) {
      res.writeHead(405, { allow: route.method.join(", ") });
      res.end();
      return;
    }
    route.handler(req, res);
  });
  return new Promise((done) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const hint =
        error.code === "EADDRINUSE"
          ? `PORT ${port} is already in use by another process; set PORT to a free port`
          : `could not listen on PORT ${port} (${error.code ?? error.message})`;
      logger.error(
        { err: error.message, port },
        `health server: ${hint}. /healthz, /readyz and /metrics are unavailable; the bot keeps running.`,
      );
      done(null);
    });
    server.listen(port, () => {
      logger.info({ port, paths: routes.map((r) => r.path) }, "health server: listening");
      done(server);
    });
  });
}
