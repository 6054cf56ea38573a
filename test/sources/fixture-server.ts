import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FixtureServer {
  baseUrl: string;
  /** Every request the server saw, in order. */
  requests: URL[];
  close(): Promise<void>;
}

export type Handler = (request: URL, response: ServerResponse, raw: IncomingMessage) => unknown;

/** A real HTTP server on loopback, so sources exercise their actual fetch, headers and status handling. */
export async function startServer(handler: Handler): Promise<FixtureServer> {
  const requests: URL[] = [];
  const server = createServer((raw, response) => {
    const url = new URL(raw.url ?? "/", "http://127.0.0.1");
    requests.push(url);
    Promise.resolve(handler(url, response, raw)).catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback URL nobody listens on: the port was just bound and released. */
export async function refusedBaseUrl(): Promise<string> {
  const server = await startServer(() => {});
  await server.close();
  return server.baseUrl;
}

export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
}

export function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { "content-type": contentType }).end(body);
}
