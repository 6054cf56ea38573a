import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { fixtureHttp } from "./fixtures.js";
import { type Body, parseBody, readRaw, sendJson } from "./http-body.js";
import { Recorder } from "./recorder.js";
import { type EmulatedUpload, SlackApiError, type WebApiState } from "./web-api.js";

export interface RecordedCall {
  method: string;
  /** Form fields or JSON, with blocks/attachments/files decoded from their JSON strings. */
  body: Body;
  headers: IncomingHttpHeaders;
  at: number;
  status: number;
  response: Record<string, unknown>;
}

export interface RecordedResponse {
  /** The id in /response/<id>. */
  id: string;
  body: Body;
  headers: IncomingHttpHeaders;
  at: number;
}

export type Injection = { kind: "error"; error: string } | { kind: "ratelimit"; seconds: number };

/** The emulator's HTTP side: /api/<method>, /response/<id> and /upload/v1/<file id>. */
export class Router {
  readonly calls = new Recorder<RecordedCall>();
  readonly responses = new Recorder<RecordedResponse>();
  private readonly injections = new Map<string, Injection[]>();

  constructor(
    private readonly state: WebApiState,
    private readonly tokens: { bot: string; app: string },
  ) {}

  inject(method: string, injection: Injection): void {
    const queue = this.injections.get(method) ?? [];
    queue.push(injection);
    this.injections.set(method, queue);
  }

  async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const [, area, name, id] = url.pathname.split("/");
    const raw = await readRaw(request);
    const { body, files } = await parseBody(raw, request.headers["content-type"], url.searchParams);
    const headers = request.headers;
    if (area === "api" && name) {
      const { status, payload, extra } = this.answer(name, body, headers);
      this.calls.push({ method: name, body, headers, at: Date.now(), status, response: payload });
      sendJson(response, status, payload, extra);
    } else if (area === "response" && name) {
      this.responses.push({ id: name, body, headers, at: Date.now() });
      // A response_url answers a plain "ok" (johnagan/serverless-slack#6); Bolt only checks the status.
      response.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end("ok");
    } else if (area === "upload" && name === "v1" && id && this.state.uploads.has(id)) {
      // @slack/web-api POSTs the bytes as a multipart "body" part; a raw body works too.
      const upload = this.state.uploads.get(id) as EmulatedUpload;
      upload.bytes = files[0]?.bytes ?? raw;
      response.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end("OK");
    } else {
      response.writeHead(404).end();
    }
  }

  /** Order as on Slack: unknown method, then auth, then the injected failure, then the method itself. */
  private answer(method: string, body: Body, headers: IncomingHttpHeaders) {
    const reply = (payload: Record<string, unknown>, status = 200, extra: Record<string, string> = {}) => ({
      status,
      payload,
      extra,
    });
    const handler = this.state.handlers[method];
    if (handler === undefined) return reply({ ok: false, error: "unknown_method" });
    const authError = this.authError(method, body, headers);
    if (authError !== undefined) return reply({ ok: false, error: authError });
    const injected = this.injections.get(method)?.shift();
    if (injected?.kind === "error") return reply({ ok: false, error: injected.error });
    if (injected?.kind === "ratelimit") {
      const recorded = fixtureHttp("slack_error_ratelimited.http");
      const limited = { ...recorded.headers, "retry-after": String(injected.seconds) };
      return reply(JSON.parse(recorded.body) as Record<string, unknown>, recorded.status, limited);
    }
    try {
      return reply(handler(body));
    } catch (error) {
      if (error instanceof SlackApiError) return reply({ ok: false, error: error.error });
      throw error;
    }
  }

  /**
   * The WebClient sends `Authorization: Bearer <token>`; a `token` form field works too, as on Slack.
   * apps.connections.open wants the app-level (xapp-) token, everything else the bot (xoxb-) token.
   */
  private authError(method: string, body: Body, headers: IncomingHttpHeaders): string | undefined {
    if (method === "api.test") return undefined;
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? "")?.[1];
    const token = bearer ?? (typeof body.token === "string" ? body.token : undefined);
    const { bot, app } = this.tokens;
    const [wanted, other] = method === "apps.connections.open" ? [app, bot] : [bot, app];
    if (token === undefined || token === "") return "not_authed";
    if (token === wanted) return undefined;
    return token === other ? "not_allowed_token_type" : "invalid_auth";
  }
}
