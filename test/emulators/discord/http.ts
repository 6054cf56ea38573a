import type { IncomingMessage, ServerResponse } from "node:http";
import { fixtureText } from "./payloads.js";
import type { ErrorTree } from "./validate.js";

export type Json = Record<string, unknown>;

/** A Discord error answer: status plus the `{ message, code }` JSON body (and `errors` for 50035). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${String(body.message)}`);
  }
}

/** Error bodies, as Discord words them (JSON error codes table). */
export const fail = {
  unauthorized: () => new ApiError(401, { message: "401: Unauthorized", code: 0 }),
  notFound: () => new ApiError(404, { message: "404: Not Found", code: 0 }),
  methodNotAllowed: () => new ApiError(405, { message: "405: Method Not Allowed", code: 0 }),
  badJson: () => new ApiError(400, { message: "The request body contains invalid JSON.", code: 50109 }),
  unknown: (what: "Channel" | "Message" | "Member" | "Guild" | "Webhook" | "Application", code: number) =>
    new ApiError(404, { message: `Unknown ${what}`, code }),
  unknownInteraction: () => new ApiError(404, { message: "Unknown interaction", code: 10062 }),
  alreadyAcknowledged: () =>
    new ApiError(400, { message: "Interaction has already been acknowledged.", code: 40060 }),
  missingAccess: () => new ApiError(403, { message: "Missing Access", code: 50001 }),
  missingPermissions: () => new ApiError(403, { message: "Missing Permissions", code: 50013 }),
  notAuthor: () =>
    new ApiError(403, { message: "Cannot edit a message authored by another user", code: 50005 }),
  emptyMessage: () => new ApiError(400, { message: "Cannot send an empty message", code: 50006 }),
  form: (errors: ErrorTree) => new ApiError(400, { message: "Invalid Form Body", code: 50035, errors }),
};

/**
 * The recorded 429 (rate-limits docs): its header set and body, re-valued for `retryAfter`.
 * Retry-After is whole seconds rounded up (65 for 64.57 in the recording); the rest keep the fraction.
 */
const recorded429 = (() => {
  const lines = fixtureText("discord_rest_ratelimited_429.http")
    .split("\n")
    .map((line) => line.replace(/^< /, ""));
  const blank = lines.findIndex((line, i) => i > 0 && !line.includes(":"));
  const headers = Object.fromEntries(
    lines
      .slice(1, blank)
      .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()]),
  );
  return { headers, body: JSON.parse(lines.slice(blank).join("\n")) as Json };
})();

export function rateLimited(retryAfter: number, global: boolean): ApiError {
  const headers: Record<string, string> = {
    ...recorded429.headers,
    "Retry-After": String(Math.ceil(retryAfter)),
    "X-RateLimit-Reset": (Date.now() / 1000 + retryAfter).toFixed(3),
    "X-RateLimit-Reset-After": String(retryAfter),
    "X-RateLimit-Scope": global ? "global" : "user",
  };
  if (global) headers["X-RateLimit-Global"] = "true";
  return new ApiError(429, { ...recorded429.body, retry_after: retryAfter, global }, headers);
}

export interface RoutePattern {
  method: string | undefined;
  regex: RegExp;
  source: string;
}

/** "POST /channels/:id/messages" (method optional); `:name` matches one path segment. */
export function compilePattern(pattern: string): RoutePattern {
  const [first, second] = pattern.trim().split(/\s+/, 2);
  const method = second === undefined ? undefined : first?.toUpperCase();
  const path = (second ?? first ?? "").replace(/^\/api\/v10/, "");
  const body = path
    .split("/")
    .map((part) => (part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\@]/g, "\\$&")))
    .join("/");
  return { method, regex: new RegExp(`^${body}/?$`), source: pattern };
}

export function matches(pattern: RoutePattern, method: string, path: string): boolean {
  return (pattern.method === undefined || pattern.method === method) && pattern.regex.test(path);
}

export function params(pattern: string, path: string): Record<string, string> | undefined {
  const names = pattern.split("/");
  const parts = path.split("/");
  if (names.length !== parts.length) return undefined;
  const out: Record<string, string> = {};
  for (const [i, name] of names.entries()) {
    const part = parts[i] as string;
    if (name.startsWith(":")) out[name.slice(1)] = part;
    else if (name !== part) return undefined;
  }
  return out;
}

export interface ParsedBody {
  body: unknown;
  files: number;
}

/** JSON, or multipart with a `payload_json` part (how discord.js sends messages with attachments). */
export async function readBody(req: IncomingMessage): Promise<ParsedBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return { body: undefined, files: 0 };
  const type = req.headers["content-type"] ?? "";
  if (type.startsWith("multipart/form-data")) {
    const form = await new Response(raw, { headers: { "content-type": type } }).formData();
    const payload = form.get("payload_json");
    const files = [...form.keys()].filter((key) => key.startsWith("files[")).length;
    return { body: typeof payload === "string" ? JSON.parse(payload) : {}, files };
  }
  try {
    return { body: JSON.parse(raw.toString("utf8")), files: 0 };
  } catch {
    throw fail.badJson();
  }
}

export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status === 200 ? 204 : status, headers).end();
    return;
  }
  res.writeHead(status, { "Content-Type": "application/json", ...headers }).end(JSON.stringify(body));
}

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: number;
}

export interface Reply {
  status?: number;
  body?: unknown;
}

export interface Route {
  method: string;
  path: string;
  /** Interaction callbacks and webhook-token routes are authorised by the token in the URL instead. */
  auth: boolean;
  handle: (ctx: RouteContext) => Reply | Promise<Reply>;
}

export const asObject = (value: unknown): Json =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
