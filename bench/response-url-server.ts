import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Slack's response_url on loopback: each POST to /r/<id> is timed on arrival and settles that id's
 * promise with its arrival time and text, so a benchmark can time a slash command to its answer.
 */
export class ResponseUrlServer {
  private readonly server: Server;
  private readonly waiting = new Map<string, (answer: { at: number; text: string }) => void>();
  private base = "";

  constructor() {
    this.server = createServer((request, response) => {
      const at = performance.now();
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        response.writeHead(200, { "content-type": "text/plain" }).end("ok");
        const id = request.url?.split("/").pop() ?? "";
        const body = JSON.parse(Buffer.concat(chunks).toString() || "{}") as { text?: string };
        this.waiting.get(id)?.({ at, text: body.text ?? "" });
        this.waiting.delete(id);
      });
    });
  }

  async start(): Promise<void> {
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/r/`;
  }

  /** A fresh response_url and the promise of what arrives there (rejected after `ms`). */
  expect(id: string, ms = 60_000): { url: string; answer: Promise<{ at: number; text: string }> } {
    const answer = new Promise<{ at: number; text: string }>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no answer on response_url ${id} within ${ms} ms`));
      }, ms);
      this.waiting.set(id, (value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
    return { url: this.base + id, answer };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((done) => this.server.close(done));
  }
}
