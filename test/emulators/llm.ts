import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An OpenAI-compatible endpoint on loopback: POST /v1/chat/completions for the model path of thread
 * answers, POST /v1/embeddings for semantic search. It answers normally, slowly (past a client's
 * timeout), with a 500, or with a malformed body, as the test sets `mode`.
 */
export type LlmMode = "normal" | "slow" | "failing" | "malformed" | "not-json";

export interface ChatRequest {
  headers: IncomingMessage["headers"];
  body: {
    model: string;
    messages: { role: string; content: string }[];
    max_tokens?: number;
    temperature?: number;
  };
}

/** The passages of the user turn, as paperboy numbers them: "[n] (Section) text". */
export function passagesOf(request: ChatRequest): { n: number; section: string; text: string }[] {
  const user = request.body.messages.find((m) => m.role === "user")?.content ?? "";
  return [...user.matchAll(/^\[(\d+)\] \(([^)]*)\) (.*)$/gm)].map((m) => ({
    n: Number(m[1]),
    section: m[2] as string,
    text: m[3] as string,
  }));
}

export class LlmEmulator {
  mode: LlmMode = "normal";
  /** How long "slow" waits before answering. */
  slowMs = 5_000;
  readonly requests: ChatRequest[] = [];
  readonly embeddingRequests: { model: string; input: string[] }[] = [];
  /** The assistant's content for a request; by default it restates passage 1 and cites it. */
  respond: (request: ChatRequest) => string = (request) => {
    const first = passagesOf(request)[0];
    return first ? `The paper says: ${first.text.slice(0, 200)} [1]` : "NOT_IN_PAPER";
  };
  private server: Server | undefined;

  get baseUrl(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error("start() the LLM emulator first");
    return `http://127.0.0.1:${address.port}/v1`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => void this.handle(req, Buffer.concat(chunks).toString("utf8"), res));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, raw: string, res: import("node:http").ServerResponse) {
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.method === "POST" && req.url === "/v1/embeddings") return this.embeddings(raw, res, json);
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
      return json(404, {
        error: { message: `Unknown request URL: ${req.method} ${req.url}`, type: "invalid_request_error" },
      });
    }
    let body: ChatRequest["body"];
    try {
      body = JSON.parse(raw) as ChatRequest["body"];
    } catch {
      return json(400, {
        error: {
          message: "We could not parse the JSON body of your request.",
          type: "invalid_request_error",
        },
      });
    }
    const request = { headers: req.headers, body };
    this.requests.push(request);
    switch (this.mode) {
      case "failing":
        return json(500, {
          error: { message: "The server had an error while processing your request.", type: "server_error" },
        });
      case "malformed":
        return json(200, { id: "chatcmpl-emu", object: "chat.completion", choices: [] });
      case "not-json":
        return res
          .writeHead(200, { "content-type": "text/html" })
          .end("<html><body>Bad gateway</body></html>");
      case "slow":
        await new Promise((resolve) => setTimeout(resolve, this.slowMs));
        if (res.destroyed) return;
    }
    const content = this.respond(request);
    json(200, {
      id: `chatcmpl-emu-${this.requests.length}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
      usage: {
        prompt_tokens: Math.ceil(raw.length / 4),
        completion_tokens: Math.ceil(content.length / 4),
        total_tokens: 0,
      },
    });
  }

  /** Vectors whose closeness follows TOPICS: papers on one topic are near, whatever their words. */
  private async embeddings(
    raw: string,
    res: import("node:http").ServerResponse,
    json: (status: number, body: unknown) => void,
  ): Promise<void> {
    let body: { model: string; input: string | string[] };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return json(400, { error: { message: "We could not parse the JSON body of your request." } });
    }
    const input = Array.isArray(body.input) ? body.input : [body.input];
    this.embeddingRequests.push({ model: body.model, input });
    switch (this.mode) {
      case "failing":
        return json(500, { error: { message: "The server had an error.", type: "server_error" } });
      case "malformed":
        return json(200, { object: "list", data: [{ index: 0 }] });
      case "not-json":
        return void res.writeHead(200, { "content-type": "text/html" }).end("<html>Bad gateway</html>");
      case "slow":
        await new Promise((resolve) => setTimeout(resolve, this.slowMs));
        if (res.destroyed) return;
    }
    json(200, {
      object: "list",
      model: body.model,
      data: input.map((text, index) => ({ object: "embedding", index, embedding: meaningOf(text) })),
      usage: { prompt_tokens: Math.ceil(raw.length / 4), total_tokens: Math.ceil(raw.length / 4) },
    });
  }
}

/** A toy embedding model: topics by word stems, each a dimension; other words a little noise. */
export const TOPICS: string[][] = [
  ["compress", "shrink", "smaller", "prun", "quantiz", "distill", "sparsif", "compact", "lightweight"],
  ["fast", "speed", "accelerat", "latency", "throughput", "efficien"],
  ["image", "vision", "visual", "video", "pixel"],
  ["recommend", "click", "ctr", "user interest"],
];
const DIMS = 64;

function meaningOf(text: string): number[] {
  const vector = new Array<number>(DIMS).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    const topic = TOPICS.findIndex((stems) => stems.some((stem) => word.startsWith(stem)));
    if (topic >= 0) vector[topic] = (vector[topic] as number) + 1;
    else {
      let hash = 0;
      for (const c of word) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
      const at = TOPICS.length + (hash % (DIMS - TOPICS.length));
      vector[at] = (vector[at] as number) + 0.1;
    }
  }
  return vector;
}
