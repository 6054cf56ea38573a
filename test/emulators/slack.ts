import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Delivery, type DeliveryOptions, deliver } from "./slack/deliver.js";
import { fixtureText } from "./slack/fixtures.js";
import type { Body } from "./slack/http-body.js";
import {
  type BlockActionInput,
  blockActions,
  commandFields,
  type Defaults,
  eventEnvelope,
  type SlashCommandInput,
  type SocketEnvelopeOptions,
  type SocketEnvelopeType,
} from "./slack/payloads.js";
import { brief } from "./slack/recorder.js";
import { type RecordedCall, type RecordedResponse, Router } from "./slack/router.js";
import { type SocketAck, SocketModeServer } from "./slack/socket-mode.js";
import { type EmulatedUpload, key, type StoredMessage, WebApiState } from "./slack/web-api.js";
import {
  DEFAULT_CHANNELS,
  DEFAULT_USERS,
  DEFAULT_WORKSPACE,
  type SlackChannelSeed,
  type SlackUserSeed,
  type SlackWorkspace,
  TsClock,
} from "./slack/workspace.js";

export { slackSignature } from "./slack/signing.js";
export type {
  BlockActionInput,
  Delivery,
  DeliveryOptions,
  EmulatedUpload,
  RecordedCall,
  RecordedResponse,
  SlackChannelSeed,
  SlackUserSeed,
  SlackWorkspace,
  SlashCommandInput,
  SocketAck,
  SocketEnvelopeOptions,
  StoredMessage,
};

export interface SlackEmulatorOptions {
  botToken?: string;
  appToken?: string;
  signingSecret?: string;
  workspace?: Partial<SlackWorkspace>;
  /** users.info answers from this table (the bot user is added automatically). */
  users?: SlackUserSeed[];
  /** conversations.info answers from this table. */
  channels?: SlackChannelSeed[];
  /** Default for every wait; a test can pass its own per call. */
  timeoutMs?: number;
}

/**
 * A Slack stand-in on loopback for tests that run the real @slack/bolt App: the Web API
 * (form or JSON POSTs to /api/<method>), response_url and upload_url endpoints, a Socket Mode
 * WebSocket server, and signed deliveries to the app's HTTP receiver.
 */
export class SlackEmulator {
  readonly botToken: string;
  readonly appToken: string;
  readonly signingSecret: string;
  readonly workspace: SlackWorkspace;
  readonly state: WebApiState;
  private readonly timeoutMs: number;
  private readonly clock = new TsClock();
  private readonly router: Router;
  private readonly socket: SocketModeServer;
  private server: Server | undefined;
  private port = 0;
  private responseIds = 0;

  constructor(options: SlackEmulatorOptions = {}) {
    this.botToken = options.botToken ?? "xoxb-111-222-emulatorBotToken";
    this.appToken = options.appToken ?? "xapp-1-A111-333-emulatorAppToken";
    this.signingSecret = options.signingSecret ?? "emulator-signing-secret";
    this.workspace = { ...DEFAULT_WORKSPACE, ...options.workspace };
    this.timeoutMs = options.timeoutMs ?? 5_000;
    const links = {
      uploadUrl: (id: string) => `${this.baseUrl}/upload/v1/${id}`,
      socketUrl: () => this.socket.issueUrl(),
    };
    this.state = new WebApiState(this.workspace, this.clock, links);
    this.router = new Router(this.state, { bot: this.botToken, app: this.appToken });
    this.socket = new SocketModeServer(this.workspace.appId, () => this.baseUrl);
    const bot: SlackUserSeed = { id: this.workspace.botUserId, name: this.workspace.botName, is_bot: true };
    for (const user of [bot, ...(options.users ?? DEFAULT_USERS)]) this.setUser(user);
    for (const channel of options.channels ?? DEFAULT_CHANNELS) this.setChannel(channel);
  }

  get baseUrl(): string {
    if (this.server === undefined) throw new Error("start() the Slack emulator first");
    return `http://127.0.0.1:${this.port}`;
  }

  /** For Bolt's `clientOptions.slackApiUrl` and SLACK_API_URL; ends with a slash, like https://slack.com/api/. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  get calls(): readonly RecordedCall[] {
    return this.router.calls.items;
  }

  get responses(): readonly RecordedResponse[] {
    return this.router.responses.items;
  }

  get uploads(): EmulatedUpload[] {
    return [...this.state.uploads.values()];
  }

  get socketAcks(): readonly SocketAck[] {
    return this.socket.acks.items;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      this.router.route(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500);
        response.end(String(error));
      });
    });
    server.on("upgrade", (request, socket, head) => this.socket.upgrade(request, socket, head));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Stop the app under test first: a live SocketModeClient would try to reconnect to a dead server. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    await this.socket.close();
    this.router.calls.rejectAll("the Slack emulator stopped");
    this.router.responses.rejectAll("the Slack emulator stopped");
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  setUser(user: SlackUserSeed): void {
    this.state.users.set(user.id, user);
  }

  setChannel(channel: SlackChannelSeed): void {
    this.state.channels.set(channel.id, channel);
  }

  message(channel: string, ts: string): StoredMessage | undefined {
    return this.state.messages.get(key(channel, ts));
  }

  /** The next call to `method` answers HTTP 200 `{ok:false,error}`, e.g. "not_in_channel". */
  failNext(method: string, error: string): void {
    this.router.inject(method, { kind: "error", error });
  }

  /** The next call to `method` answers HTTP 429 with `retry-after`, as in slack_error_ratelimited.http. */
  rateLimitNext(method: string, retryAfterSeconds: number): void {
    this.router.inject(method, { kind: "ratelimit", seconds: retryAfterSeconds });
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Bodies of the chat.postMessage calls that succeeded, optionally in one channel. */
  posted(channel?: string): Body[] {
    return this.callsTo("chat.postMessage")
      .filter((call) => call.response.ok === true && (channel === undefined || call.body.channel === channel))
      .map((call) => call.body);
  }

  /**
   * Resolves with the first call to `method` (matching `predicate`) recorded at index `since` or later,
   * including calls made before this was called, so awaiting after the app acted is race-free.
   * Pass `since: emulator.calls.length` to wait for a call that hasn't happened yet.
   */
  waitFor(
    method: string,
    predicate?: (call: RecordedCall) => boolean,
    timeoutMs = this.timeoutMs,
    since = 0,
  ): Promise<RecordedCall> {
    const match = (call: RecordedCall) => call.method === method && (predicate?.(call) ?? true);
    return this.router.calls.waitFor(match, timeoutMs, since, () => {
      const seen = this.calls.map((c) => `${c.method} ${c.status} ${brief(c.body, 120)}`);
      const wanted = predicate === undefined ? method : `${method} matching the predicate`;
      return `no ${wanted}; calls seen: ${seen.length === 0 ? "none" : `\n  ${seen.join("\n  ")}`}`;
    });
  }

  /** A response_url hosted here: what Slack puts in slash commands and interactive payloads. */
  responseUrl(id: string = this.nextResponseId()): string {
    return `${this.baseUrl}/response/${id}`;
  }

  waitForResponse(
    predicate?: (response: RecordedResponse) => boolean,
    timeoutMs = this.timeoutMs,
    since = 0,
  ): Promise<RecordedResponse> {
    return this.router.responses.waitFor(
      (r) => predicate?.(r) ?? true,
      timeoutMs,
      since,
      () => {
        const seen = this.responses.map((r) => `${r.id} ${brief(r.body, 120)}`);
        return `no response_url POST${predicate ? " matching the predicate" : ""}; seen: [${seen.join(", ")}]`;
      },
    );
  }

  /** POSTs an Events API envelope around `event` (or a whole `event_callback` body), signed. */
  async deliverEvent(
    targetUrl: string,
    event: Record<string, unknown>,
    options: DeliveryOptions & { eventId?: string } = {},
  ) {
    const envelope = eventEnvelope(this.defaults(), event, options.eventId);
    const result = await deliver(
      targetUrl,
      JSON.stringify(envelope),
      "application/json",
      this.signing(options),
    );
    return { ...result, eventId: String(envelope.event_id), envelope };
  }

  /** POSTs a form-encoded slash command whose response_url points here. */
  async deliverCommand(targetUrl: string, input: SlashCommandInput = {}, options: DeliveryOptions = {}) {
    const fields = this.withResponseUrl(commandFields(this.defaults(), input, this.responseUrl()));
    const body = new URLSearchParams(fields as Record<string, string>).toString();
    const result = await deliver(targetUrl, body, "application/x-www-form-urlencoded", this.signing(options));
    return { ...result, fields, responseUrl: String(fields.response_url) };
  }

  /** POSTs an interactive payload as `payload=<urlencoded JSON>` (slack_interactive_form_body.txt). */
  async deliverAction(targetUrl: string, payload: Record<string, unknown>, options: DeliveryOptions = {}) {
    const sent = this.withResponseUrl(payload);
    const body = new URLSearchParams({ payload: JSON.stringify(sent) }).toString();
    const result = await deliver(targetUrl, body, "application/x-www-form-urlencoded", this.signing(options));
    return { ...result, payload: sent };
  }

  /** POSTs slack_url_verification.json byte for byte, signed. */
  async deliverUrlVerification(targetUrl: string, options: DeliveryOptions = {}) {
    const body = fixtureText("slack_url_verification.json");
    const result = await deliver(targetUrl, body, "application/json", this.signing(options));
    return { ...result, challenge: String((JSON.parse(body) as Body).challenge) };
  }

  /** A block_actions payload for a button click; on a message posted here, the stored message rides along. */
  blockActions(input: BlockActionInput): Record<string, unknown> {
    const d = this.defaults();
    const posted = input.messageTs
      ? this.message(input.channelId ?? d.channelId, input.messageTs)
      : undefined;
    return blockActions(d, input, this.responseUrl(), posted);
  }

  /** Sends an envelope over Socket Mode and resolves with the app's ack `{envelope_id, payload}`. */
  socketDeliver(
    type: SocketEnvelopeType,
    payload: Record<string, unknown>,
    options: SocketEnvelopeOptions & { timeoutMs?: number } = {},
  ): Promise<SocketAck> {
    const d = this.defaults();
    const body =
      type === "events_api"
        ? eventEnvelope(d, payload)
        : type === "slash_commands"
          ? commandFields(d, payload as SlashCommandInput, this.responseUrl())
          : payload;
    return this.socket.deliver(
      type,
      this.withResponseUrl(body),
      options,
      options.timeoutMs ?? this.timeoutMs,
    );
  }

  /** Resolves when connection number `count` (default 1; 2 after one reconnect) has had its hello. */
  socketConnected(options: { count?: number; timeoutMs?: number } = {}): Promise<void> {
    return this.socket.connected(options.count ?? 1, options.timeoutMs ?? this.timeoutMs);
  }

  socketDisconnected(timeoutMs = this.timeoutMs): Promise<void> {
    return this.socket.disconnected(timeoutMs);
  }

  /** Drops every Socket Mode connection without a close handshake; the client should reconnect. */
  dropSocket(): Promise<void> {
    return this.socket.drop();
  }

  /** Sends Slack's `disconnect` frame; the client closes and reconnects through apps.connections.open. */
  socketDisconnect(reason = "refresh_requested"): void {
    this.socket.sendDisconnect(reason);
  }

  private nextResponseId(): string {
    this.responseIds += 1;
    return `${this.workspace.teamId}-${this.responseIds}`;
  }

  /** Payloads copied from fixtures carry hooks.slack.com URLs; point them here so replies are recorded. */
  private withResponseUrl<T extends Record<string, unknown>>(payload: T): T {
    const current = payload.response_url;
    if (typeof current !== "string" || current.startsWith(this.baseUrl)) return payload;
    return { ...payload, response_url: this.responseUrl() };
  }

  private signing(options: DeliveryOptions) {
    return { ...options, signingSecret: options.signingSecret ?? this.signingSecret };
  }

  private defaults(): Defaults {
    const user = [...this.state.users.values()].find((u) => !u.is_bot) ?? DEFAULT_USERS[0];
    const channel = [...this.state.channels.values()][0] ?? DEFAULT_CHANNELS[0];
    return {
      workspace: this.workspace,
      clock: this.clock,
      userId: user?.id ?? "U111",
      userName: user?.name ?? "user",
      channelId: channel?.id ?? "C111",
      channelName: channel?.name ?? "random",
    };
  }
}
