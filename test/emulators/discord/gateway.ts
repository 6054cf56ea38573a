import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { APIUser, GatewayReadyDispatchData } from "discord.js";
import { type WebSocket, WebSocketServer } from "ws";
import { Feed } from "./feed.js";
import { sessionId, shardFor } from "./ids.js";
import { PRIVILEGED, requiredIntent, withoutContent } from "./intents.js";
import { guildCreateData, helloData, readyData } from "./payloads.js";
import { GatewaySocket } from "./socket.js";
import type { World } from "./world.js";

type Json = Record<string, unknown>;

/** What the gateway sent or received, for assertions and for `waitForGateway`. */
export interface GatewayFrame {
  direction: "in" | "out";
  shard: number | undefined;
  op: number;
  t: string | null;
  s: number | null;
  d: unknown;
  /** Path the socket connected to: "/" for the gateway URL, "/resume" for resume_gateway_url. */
  path: string;
}

interface Connection {
  ws: WebSocket;
  path: string;
  socket: GatewaySocket;
  session: Session | undefined;
}

interface Session {
  id: string;
  shard: [number, number];
  intents: number;
  seq: number;
  /** Every dispatch of the session, so a RESUME can replay what the client missed. */
  sent: { s: number; frame: string }[];
  connection: Connection | undefined;
  ready: boolean;
}

export interface GatewayConfig {
  token: string;
  bot: APIUser;
  /** The bot as READY describes it (with verified, mfa_enabled, email...). */
  self: APIUser;
  application: GatewayReadyDispatchData["application"];
  world: World;
  heartbeatInterval: number;
  privilegedIntents: number;
  /** ws://127.0.0.1:port, known once the server listens. */
  origin: () => string;
}

export class Gateway {
  readonly server = new WebSocketServer({ noServer: true });
  readonly frames = new Feed<GatewayFrame>(
    "gateway frame",
    (f) =>
      `${f.direction} shard=${f.shard ?? "?"} op=${f.op}${f.t ? ` ${f.t}` : ""}${f.s ? ` s=${f.s}` : ""}`,
  );
  /** Dispatches not delivered because the session lacks the intent, as Discord would silently do. */
  readonly dropped: { t: string; shard: number; missingIntent: number }[] = [];
  private readonly sessions = new Map<string, Session>();
  /** The live session per shard id, i.e. where guild events are routed. */
  private readonly shards = new Map<number, Session>();
  private shardCount = 0;
  private readonly readyWaiters = new Set<() => void>();

  constructor(private readonly config: GatewayConfig) {}

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.server.handleUpgrade(req, socket, head, (ws) => this.open(ws, req));
  }

  private open(ws: WebSocket, req: IncomingMessage): void {
    const url = new URL(req.url ?? "/", "ws://127.0.0.1");
    const query = url.searchParams;
    const conn: Connection = {
      ws,
      path: url.pathname,
      // @discordjs/ws asks for compress=zlib-stream only when the optional zlib-sync package is installed.
      socket: new GatewaySocket(ws, url.pathname, query.get("compress")),
      session: undefined,
    };
    ws.on("message", (data) => this.receive(conn, data.toString()));
    ws.on("close", () => {
      if (conn.session?.connection === conn) conn.session.connection = undefined;
    });
    ws.on("error", () => {});
    if (query.get("v") !== "10" || (query.get("encoding") ?? "json") !== "json") {
      // Unrecoverable for discord.js, so a misconfigured client fails fast instead of reconnecting forever.
      ws.close(4012, "emulator speaks v=10&encoding=json only");
      return;
    }
    this.send(conn, { t: null, s: null, op: 10, d: helloData(this.config.heartbeatInterval) });
  }

  private receive(conn: Connection, raw: string): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(raw) as { op?: unknown; d?: unknown };
    } catch {
      conn.ws.close(4002, "Error while decoding payload.");
      return;
    }
    const op = typeof payload.op === "number" ? payload.op : -1;
    const d = payload.d;
    this.frames.push({
      direction: "in",
      shard: conn.session?.shard[0],
      op,
      t: null,
      s: null,
      d,
      path: conn.path,
    });
    if (op === 1) {
      this.send(conn, { t: null, s: null, op: 11, d: null });
    } else if (op === 2) {
      this.identify(conn, (d ?? {}) as Json);
    } else if (op === 6) {
      this.resume(conn, (d ?? {}) as Json);
    } else if (!conn.session) {
      conn.ws.close(4003, "Not authenticated.");
    } else if (op === 8) {
      this.requestMembers(conn.session, (d ?? {}) as Json);
    } else if (op !== 3 && op !== 4) {
      conn.ws.close(4001, "Unknown opcode.");
    }
  }

  private identify(conn: Connection, d: Json): void {
    if (conn.session) return void conn.ws.close(4005, "Already authenticated.");
    if (d.token !== this.config.token) return void conn.ws.close(4004, "Authentication failed.");
    const [id, count] = Array.isArray(d.shard) ? (d.shard as number[]) : [0, 1];
    if (id === undefined || count === undefined || id < 0 || id >= count) {
      return void conn.ws.close(4010, "Invalid shard.");
    }
    if (typeof d.intents !== "number") return void conn.ws.close(4013, "Invalid intent(s).");
    if (d.intents & PRIVILEGED & ~this.config.privilegedIntents) {
      return void conn.ws.close(4014, "Disallowed intent(s).");
    }
    const session: Session = {
      id: sessionId(),
      shard: [id, count],
      intents: d.intents,
      seq: 0,
      sent: [],
      connection: conn,
      ready: false,
    };
    conn.session = session;
    this.sessions.set(session.id, session);
    this.shards.set(id, session);
    this.shardCount = count;
    const guilds = [...this.config.world.guilds.values()].filter((g) => shardFor(g.id, count) === id);
    this.dispatchTo(session, "READY", {
      ...readyData({
        user: this.config.self,
        guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
        session_id: session.id,
        resume_gateway_url: `${this.config.origin()}/resume`,
        shard: [id, count],
        application: this.config.application,
      }),
    });
    // Discord then lazy-loads each guild with GUILD_CREATE, which needs the Guilds intent; without it
    // discord.js stops waiting for guilds at once.
    for (const guild of guilds) {
      if (session.intents & requiredIntent("GUILD_CREATE", guild.id)) {
        this.dispatchTo(session, "GUILD_CREATE", guildCreateData(this.config.world, guild));
      } else {
        this.dropped.push({
          t: "GUILD_CREATE",
          shard: id,
          missingIntent: requiredIntent("GUILD_CREATE", guild.id),
        });
      }
    }
    session.ready = true;
    this.notifyReady();
  }

  private resume(conn: Connection, d: Json): void {
    const session = typeof d.session_id === "string" ? this.sessions.get(d.session_id) : undefined;
    if (d.token !== this.config.token) return void conn.ws.close(4004, "Authentication failed.");
    if (!session) {
      // Op 9 with d=false: the session cannot be resumed; the client must identify again.
      this.send(conn, { t: null, s: null, op: 9, d: false });
      return;
    }
    session.connection?.ws.terminate();
    session.connection = conn;
    conn.session = session;
    const seq = typeof d.seq === "number" ? d.seq : 0;
    for (const missed of session.sent.filter((f) => f.s > seq)) conn.socket.write(missed.frame);
    this.dispatchTo(session, "RESUMED", null);
    this.notifyReady();
  }

  /** Op 8 answered with one GUILD_MEMBERS_CHUNK: by `user_ids`, or by username prefix `query`. */
  private requestMembers(session: Session, d: Json): void {
    const guild = this.config.world.guilds.get(String(d.guild_id));
    if (!guild) return;
    const ids = Array.isArray(d.user_ids)
      ? d.user_ids.map(String)
      : typeof d.user_ids === "string"
        ? [d.user_ids]
        : null;
    const query = typeof d.query === "string" ? d.query.toLowerCase() : "";
    const members = [...guild.members.values()].filter((m) =>
      ids ? ids.includes(m.user.id) : m.user.username.toLowerCase().startsWith(query),
    );
    const limit = typeof d.limit === "number" && d.limit > 0 ? d.limit : members.length;
    this.dispatchTo(session, "GUILD_MEMBERS_CHUNK", {
      guild_id: guild.id,
      members: members.slice(0, limit),
      chunk_index: 0,
      chunk_count: 1,
      ...(ids ? { not_found: ids.filter((id) => !guild.members.has(id)) } : {}),
      ...(typeof d.nonce === "string" ? { nonce: d.nonce } : {}),
    });
  }

  /**
   * Send a dispatch to the shard that owns `guildId` (shard 0 without one). Events the session has
   * no intent for are dropped, and without Message Content the content fields arrive empty, as on Discord.
   * Returns undefined when dropped. While the shard is disconnected the event is kept for RESUME replay.
   */
  dispatch(t: string, d: Json, guildId: string | undefined): { s: number; shard: number } | undefined {
    const shard = shardFor(guildId, this.shardCount || 1);
    const session = this.shards.get(shard);
    if (!session) {
      throw new Error(
        `Discord emulator: no gateway session for shard ${shard}; await emulator.identified() first`,
      );
    }
    const needed = requiredIntent(t, guildId);
    if (needed !== 0 && (session.intents & needed) === 0) {
      this.dropped.push({ t, shard, missingIntent: needed });
      return undefined;
    }
    const s = this.dispatchTo(session, t, withoutContent(session.intents, this.config.bot.id, t, d));
    return { s, shard };
  }

  private dispatchTo(session: Session, t: string, d: unknown): number {
    session.seq += 1;
    const frame = { t, s: session.seq, op: 0, d };
    const text = JSON.stringify(frame);
    session.sent.push({ s: session.seq, frame: text });
    const conn = session.connection;
    this.frames.push({
      direction: "out",
      shard: session.shard[0],
      op: 0,
      t,
      s: session.seq,
      d,
      path: conn?.path ?? "",
    });
    if (conn) conn.socket.write(text);
    return session.seq;
  }

  private send(conn: Connection, frame: { t: null; s: null; op: number; d: unknown }): void {
    this.frames.push({ direction: "out", shard: conn.session?.shard[0], ...frame, path: conn.path });
    conn.socket.write(JSON.stringify(frame));
  }

  /** Close shard sockets: abruptly (1006, the client resumes) or with a chosen close code. */
  drop(options: { shard?: number; code?: number } = {}): void {
    for (const [id, session] of this.shards) {
      if (options.shard !== undefined && options.shard !== id) continue;
      const ws = session.connection?.ws;
      session.connection = undefined;
      if (options.code === undefined) ws?.terminate();
      else ws?.close(options.code);
    }
  }

  /** True when every shard of the identified shard count has a session with READY and its guilds sent. */
  get allReady(): boolean {
    if (this.shardCount === 0) return false;
    for (let id = 0; id < this.shardCount; id++) {
      const session = this.shards.get(id);
      if (!session?.ready || !session.connection) return false;
    }
    return true;
  }

  whenReady(timeoutMs: number): Promise<void> {
    if (this.allReady) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!this.allReady) return;
        clearTimeout(timer);
        this.readyWaiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.readyWaiters.delete(check);
        const seen = this.frames.items
          .map((f) => `  - ${f.direction} op=${f.op}${f.t ? ` ${f.t}` : ""}`)
          .join("\n");
        reject(
          new Error(
            `Discord emulator: the client did not identify within ${timeoutMs} ms. Frames:\n${seen || "  (none)"}`,
          ),
        );
      }, timeoutMs);
      this.readyWaiters.add(check);
    });
  }

  private notifyReady(): void {
    for (const check of [...this.readyWaiters]) check();
  }

  sessionFor(shard: number): { id: string; intents: number; seq: number } | undefined {
    const session = this.shards.get(shard);
    return session && { id: session.id, intents: session.intents, seq: session.seq };
  }

  async close(): Promise<void> {
    for (const ws of this.server.clients) ws.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
