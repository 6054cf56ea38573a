import type { IncomingMessage, ServerResponse } from "node:http";

export async function readRaw(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * @slack/web-api sends every argument form-encoded and flattens objects and arrays to JSON strings
 * (WebClient.serializeBody). Slack decodes those fields server-side; so do we, for these known ones,
 * so tests can assert on `body.blocks[0]` rather than on a string.
 */
const JSON_FIELDS = new Set([
  "blocks",
  "attachments",
  "files",
  "metadata",
  "unfurls",
  "user_auth_blocks",
  "view",
]);

export type Body = Record<string, unknown>;

export interface ParsedBody {
  body: Body;
  /** File parts of a multipart body (the WebClient sends Buffers that way). */
  files: { field: string; name: string; bytes: Buffer }[];
}

export async function parseBody(raw: Buffer, contentType: string | undefined, query: URLSearchParams) {
  const parsed: ParsedBody = { body: fromPairs(query), files: [] };
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (raw.length === 0) return parsed;
  if (type === "application/json") {
    Object.assign(parsed.body, JSON.parse(raw.toString("utf8")) as Body);
  } else if (type === "multipart/form-data") {
    const form = await new Response(raw, { headers: { "content-type": contentType ?? "" } }).formData();
    for (const [field, value] of form) {
      if (typeof value === "string") parsed.body[field] = decodeField(field, value);
      else parsed.files.push({ field, name: value.name, bytes: Buffer.from(await value.arrayBuffer()) });
    }
  } else {
    Object.assign(parsed.body, fromPairs(new URLSearchParams(raw.toString("utf8"))));
  }
  return parsed;
}

function fromPairs(params: URLSearchParams): Body {
  const body: Body = {};
  for (const [key, value] of params) body[key] = decodeField(key, value);
  return body;
}

function decodeField(key: string, value: string): unknown {
  if (!JSON_FIELDS.has(key)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers = {}): void {
  // Slack's own header value, as captured in slack_error_ratelimited.http.
  response.writeHead(status, { "content-type": "application/json;charset=utf-8", ...headers });
  response.end(typeof body === "string" ? body : JSON.stringify(body));
}
