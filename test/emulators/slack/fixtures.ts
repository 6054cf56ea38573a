import { readFileSync } from "node:fs";

/** The recorded Slack payloads (origins in test/fixtures/SOURCES.md); the emulator copies their shapes. */
const FIXTURES = new URL("../../fixtures/", import.meta.url);

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, FIXTURES), "utf8");
}

export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

export interface RecordedHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses a raw `.http` capture (status line, headers, blank line, body) such as slack_error_ratelimited.http. */
export function fixtureHttp(name: string): RecordedHttpResponse {
  const raw = fixtureText(name).replace(/\r\n/g, "\n");
  const split = raw.indexOf("\n\n");
  const head = raw.slice(0, split).split("\n");
  const statusLine = head.shift() ?? "";
  const status = Number(statusLine.split(" ")[1]);
  const headers: Record<string, string> = {};
  for (const line of head) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: raw.slice(split + 2).trim() };
}
