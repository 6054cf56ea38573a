import {
  Agent,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from "node:http";

/**
 * A load balancer on loopback in front of several bot processes: each request goes to the next
 * target in turn, method, path, headers and body byte for byte, so Slack's signature (computed over
 * the raw body and timestamp header) still verifies on whichever replica gets it.
 */
export class RoundRobinProxy {
  /** Requests forwarded to each target (by its origin), whatever the answer. */
  readonly forwarded = new Map<string, number>();
  private targets: string[] = [];
  private next = 0;
  private server: Server | undefined;
  private port = 0;
  private readonly agent = new Agent({ keepAlive: true });

  /** The origins (http://127.0.0.1:port) requests are spread over, from now on. */
  setTargets(origins: string[]): void {
    if (origins.length === 0) throw new Error("RoundRobinProxy: give it at least one target");
    this.targets = [...origins];
    this.next = 0;
    for (const origin of origins) if (!this.forwarded.has(origin)) this.forwarded.set(origin, 0);
  }

  /** Where Slack would send: the proxy's own /slack/events. */
  get url(): string {
    if (!this.server) throw new Error("start() the proxy first");
    return `http://127.0.0.1:${this.port}/slack/events`;
  }

  async start(): Promise<void> {
    const server = createServer((incoming, outgoing) => this.forward(incoming, outgoing));
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const address = server.address();
    this.port = typeof address === "object" && address ? address.port : 0;
    this.server = server;
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }

  private forward(incoming: IncomingMessage, outgoing: ServerResponse): void {
    const target = this.targets[this.next++ % this.targets.length];
    if (!target) {
      outgoing.writeHead(503).end("no replicas behind the proxy");
      return;
    }
    this.forwarded.set(target, (this.forwarded.get(target) ?? 0) + 1);
    const upstream = request(
      `${target}${incoming.url ?? "/"}`,
      { method: incoming.method, headers: incoming.headers, agent: this.agent },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on("error", (error) => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end(`proxy: ${target} failed: ${error.message}`);
    });
    incoming.pipe(upstream);
  }
}
