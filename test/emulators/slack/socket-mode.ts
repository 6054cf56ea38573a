import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { fixtureJson } from "./fixtures.js";
import { type SocketEnvelopeOptions, type SocketEnvelopeType, socketEnvelope } from "./payloads.js";
import { brief, Recorder } from "./recorder.js";

/** What the app sends back for an envelope: `{envelope_id, payload}` (SocketModeClient.send). */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

/**
 * Slack's Socket Mode side: apps.connections.open hands out a one-time `ws://…/link/?ticket=…` URL,
 * the app connects, gets `hello` (slack_socket_mode_hello.json), then envelopes, and answers each with
 * an ack carrying its envelope_id.
 */
export class SocketModeServer {
  readonly acks = new Recorder<SocketAck>();
  /** Total connections accepted so far; a reconnect makes it 2. */
  connections = 0;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly open = new Set<WebSocket>();
  /** One entry per hello sent (its connection number) or socket closed (0). */
  private readonly lifecycle = new Recorder<number>();

  constructor(
    private readonly appId: string,
    private readonly baseUrl: () => string,
  ) {
    this.wss.on("connection", (ws) => this.accept(ws));
  }

  /** The URL apps.connections.open returns, shaped like wss://wss-primary.slack.com/link/?ticket=…&app_id=…. */
  issueUrl(): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${this.baseUrl().replace(/^http/, "ws")}/link/?ticket=${ticket}&app_id=${this.appId}`;
  }

  /** Takes an HTTP upgrade; tickets are single-use, so every reconnect must call apps.connections.open again. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const ticket = url.searchParams.get("ticket") ?? "";
    if (url.pathname !== "/link/" || !this.tickets.delete(ticket)) {
      socket.end("HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.wss.emit("connection", ws, request));
  }

  private accept(ws: WebSocket): void {
    this.open.add(ws);
    this.connections += 1;
    const number = this.connections;
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      try {
        const frame = JSON.parse(data.toString()) as SocketAck;
        if (typeof frame.envelope_id === "string") this.acks.push(frame);
      } catch {
        // Slack ignores frames it can't parse; an ack that never arrives fails the test's wait instead.
      }
    });
    ws.on("close", () => {
      this.open.delete(ws);
      this.lifecycle.push(0);
    });
    const hello = fixtureJson("slack_socket_mode_hello.json");
    hello.num_connections = this.open.size;
    hello.connection_info = { app_id: this.appId };
    ws.send(JSON.stringify(hello));
    this.lifecycle.push(number);
  }

  /** Sends an envelope on the newest connection and resolves with the app's ack. */
  async deliver(
    type: SocketEnvelopeType,
    payload: Record<string, unknown>,
    options: SocketEnvelopeOptions,
    timeoutMs: number,
  ): Promise<SocketAck> {
    const ws = [...this.open].at(-1);
    if (ws === undefined) throw new Error("socketDeliver: no Socket Mode connection is open");
    const envelope = socketEnvelope(type, payload, options);
    const since = this.acks.items.length;
    const acked = this.acks.waitFor(
      (a) => a.envelope_id === envelope.envelope_id,
      timeoutMs,
      since,
      () => {
        const others = this.acks.items.slice(since).map((a) => brief(a));
        return `no ack for ${type} envelope ${envelope.envelope_id}; acks seen since: [${others.join(", ")}]`;
      },
    );
    ws.send(JSON.stringify(envelope));
    return acked;
  }

  /** Resolves once the `count`-th connection got its hello and a connection is open. */
  connected(count: number, timeoutMs: number): Promise<void> {
    const ready = () => this.connections >= count && this.open.size > 0;
    return this.until(ready, timeoutMs, `Socket Mode connection #${count}`);
  }

  /** Resolves when no connection is open (e.g. after the app's SocketModeClient disconnected). */
  disconnected(timeoutMs: number): Promise<void> {
    return this.until(() => this.open.size === 0, timeoutMs, "all Socket Mode connections to close");
  }

  /**
   * Slack's request to reconnect: `{type:"disconnect", reason}` as sent in @slack/socket-mode's own
   * integration tests (reasons: warning, refresh_requested, too_many_websockets). The debug_info is
   * ours, in the style of the hello frame.
   */
  sendDisconnect(reason: string): void {
    const frame = { type: "disconnect", reason, debug_info: { host: "applink-emulator" } };
    for (const ws of this.open) ws.send(JSON.stringify(frame));
  }

  /** Cuts every connection without a close handshake, like a network drop. */
  drop(): Promise<void> {
    const closing = this.disconnected(5_000);
    for (const ws of this.open) ws.terminate();
    return closing;
  }

  async close(): Promise<void> {
    for (const ws of this.open) ws.terminate();
    this.acks.rejectAll("the Slack emulator stopped");
    this.lifecycle.rejectAll("the Slack emulator stopped");
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private async until(ready: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (ready()) return;
    await this.lifecycle.waitFor(ready, timeoutMs, this.lifecycle.items.length, () => {
      return `waiting for ${what}; connections so far: ${this.connections}, open: ${this.open.size}`;
    });
  }
}
