import { Agent, request } from "node:http";
import { commandFields, type Defaults, eventEnvelope } from "../test/emulators/slack/payloads.js";
import { signedHeaders } from "../test/emulators/slack/signing.js";
import { TsClock } from "../test/emulators/slack/workspace.js";
import { SlackEmulator } from "../test/emulators/slack.js";

export type ContentType = "application/json" | "application/x-www-form-urlencoded";

/**
 * Slack's side of a load test: the emulator answers the bot's Web API calls (auth.test at start), and
 * events and slash commands are built from the emulator's payload shapes, signed like Slack signs
 * them and POSTed over keep-alive loopback connections (lighter on the client's CPU than fetch).
 */
export class SlackSender {
  readonly emulator = new SlackEmulator();
  private agent = new Agent({ keepAlive: true, maxSockets: 256 });
  private readonly clock = new TsClock();
  private defaults(): Defaults {
    return {
      workspace: this.emulator.workspace,
      clock: this.clock,
      userId: "U111",
      userName: "user",
      channelId: "C111",
      channelName: "random",
    };
  }

  start(): Promise<void> {
    return this.emulator.start();
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    await this.emulator.stop();
  }

  /** The bot's environment for Slack HTTP mode against this emulator. */
  botEnv(port: number): Record<string, string> {
    return {
      SLACK_BOT_TOKEN: this.emulator.botToken,
      SLACK_SIGNING_SECRET: this.emulator.signingSecret,
      SLACK_API_URL: this.emulator.apiUrl,
      PORT: String(port),
    };
  }

  /**
   * Drops idle keep-alive connections: call between phases, or a connection the server closed while
   * idle (Node's 5 s keep-alive timeout) is reused and the request fails with a socket hang up.
   */
  resetConnections(): void {
    this.agent.destroy();
    this.agent = new Agent({ keepAlive: true, maxSockets: 256 });
  }

  /** An Events API envelope around `event`, as JSON text. */
  event(event: Record<string, unknown>): string {
    return JSON.stringify(eventEnvelope(this.defaults(), event));
  }

  /** A `/papers <text>` slash command's form body whose answer goes to `responseUrl`. */
  command(text: string, responseUrl: string, userId = "U111"): string {
    const fields = commandFields(this.defaults(), { text, user_id: userId }, responseUrl);
    return new URLSearchParams(fields).toString();
  }

  /** POSTs `body` signed; resolves with the status and the time to the app's answer (the ack). */
  post(url: string, body: string, contentType: ContentType): Promise<{ status: number; ms: number }> {
    const headers = {
      "content-type": contentType,
      "content-length": String(Buffer.byteLength(body)),
      ...signedHeaders(body, { signingSecret: this.emulator.signingSecret }),
    };
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = request(url, { method: "POST", headers, agent: this.agent }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      });
      req.on("error", reject);
      req.end(body);
    });
  }
}

/** Runs `work(0..total-1)` with `concurrency` calls in flight at any time. */
export async function inFlight(
  total: number,
  concurrency: number,
  work: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}
