import type { IncomingMessage, ServerResponse } from "node:http";
import { Feed } from "./feed.js";
import {
  ApiError,
  compilePattern,
  fail,
  matches,
  params,
  type Route,
  type RoutePattern,
  readBody,
  send,
} from "./http.js";
import type { RecordedRequest } from "./state.js";

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Routes requests under /api/v10, checks the bot token, applies injected failures and records everything. */
export class RestServer {
  readonly requests = new Feed<RecordedRequest>("request", (r) => `${r.method} ${r.path} → ${r.status}`);
  private readonly injections: { pattern: RoutePattern; error: () => ApiError; after: boolean }[] = [];

  constructor(
    private readonly routes: Route[],
    private readonly token: string,
  ) {}

  /**
   * One-shot: the next request matching `pattern` gets `error()` instead of its normal answer; with
   * `after`, the request is carried out first (what it creates stays), and only its answer is lost.
   */
  inject(pattern: string, error: () => ApiError, after = false): void {
    this.injections.push({ pattern: compilePattern(pattern), error, after });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    // Recorded and matched decoded ("/messages/@original", "/reactions/👍/@me"), as Discord routes them.
    const decoded = url.pathname.split("/").map(decodeSegment).join("/");
    const path = decoded.replace(/^\/api\/v10(?=\/)/, "");
    const record: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      headers,
      status: 0,
      route: undefined,
    };
    try {
      const { body, files } = await readBody(req);
      record.body = body;
      // discord.js puts the version in the path (/api/v10/...); anything else is not this API.
      if (path === decoded) throw fail.notFound();
      const candidates = this.routes.flatMap((r) => {
        const p = params(r.path, path);
        return p ? [{ route: r, params: p }] : [];
      });
      const match = candidates.find((c) => c.route.method === method);
      if (!match) throw candidates.length > 0 ? fail.methodNotAllowed() : fail.notFound();
      record.route = `${method} ${match.route.path}`;
      if (match.route.auth && req.headers.authorization !== `Bot ${this.token}`) throw fail.unauthorized();
      const at = this.injections.findIndex((i) => matches(i.pattern, method, path));
      const injected = at >= 0 ? this.injections.splice(at, 1)[0] : undefined;
      if (injected && !injected.after) throw injected.error();
      const reply = await match.route.handle({ params: match.params, query: url.searchParams, body, files });
      if (injected) throw injected.error();
      record.status = reply.status ?? (reply.body === undefined ? 204 : 200);
      send(res, record.status, reply.body);
    } catch (error) {
      const apiError =
        error instanceof ApiError ? error : new ApiError(500, { message: `500: ${String(error)}`, code: 0 });
      record.status = apiError.status;
      send(res, apiError.status, apiError.body, apiError.headers);
    }
    this.requests.push(record);
  }
}
