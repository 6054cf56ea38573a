import type { SlackEmulator } from "../emulators/slack.js";
import {
  type BotProcess,
  type CliResult,
  type Env,
  freePort,
  runCli,
  spawnBot,
  waitUntilServing,
} from "../helpers/bot-process.js";
import { PaperboyWorkspace, type WorkspaceOptions, type WorkspaceParts } from "../helpers/bot-workspace.js";

export {
  type BotProcess,
  type CliResult,
  freePort,
  type LogLine,
  SAMPLE_PAGE,
} from "../helpers/bot-process.js";

/**
 * Generous limits for tests and hooks that start processes: each `node bin/paperboy.js` compiles the
 * sources and opens the database, which takes many seconds on a busy machine. Nothing measures speed.
 */
export const PROCESS_TIMEOUT_MS = 300_000;
/** How long the emulator waits for the bot's calls and answers. */
export const WIRE_TIMEOUT_MS = 60_000;

/**
 * One test file's world against the Slack emulator: a fresh database, the emulator's coordinates, and
 * the real CLI and bot (`node bin/paperboy.js …`) on top. Create it after the emulator has started.
 */
export class SlackWorkspace extends PaperboyWorkspace {
  static async create(emulator: SlackEmulator, options: WorkspaceOptions = {}): Promise<SlackWorkspace> {
    return new SlackWorkspace(emulator, await PaperboyWorkspace.prepare("paperboy-slack-", options));
  }

  private constructor(
    readonly emulator: SlackEmulator,
    parts: WorkspaceParts,
  ) {
    super(parts);
  }

  /** HTTP mode: bot token and signing secret, the emulator as Slack. */
  httpEnv(port: number): Env {
    return {
      ...this.dbEnv(),
      SLACK_BOT_TOKEN: this.emulator.botToken,
      SLACK_SIGNING_SECRET: this.emulator.signingSecret,
      SLACK_API_URL: this.emulator.apiUrl,
      PORT: String(port),
    };
  }

  /** Socket Mode: bot and app tokens, no signing secret. */
  socketEnv(): Env {
    return {
      ...this.dbEnv(),
      SLACK_BOT_TOKEN: this.emulator.botToken,
      SLACK_APP_TOKEN: this.emulator.appToken,
      SLACK_API_URL: this.emulator.apiUrl,
    };
  }

  /** `paperboy <args>` with the Slack variables of HTTP mode (no port is listened on by one-shot commands). */
  slackCli(args: string[], env: Env = {}): Promise<CliResult> {
    return runCli(args, { ...this.httpEnv(1), ...env });
  }

  /** `paperboy start` in HTTP mode; resolves once it logged "slack: connected" and its index is ready. */
  async startHttpBot(env: Env = {}): Promise<{ bot: BotProcess; url: string }> {
    const port = await freePort();
    const botEnv = { ...this.httpEnv(port), ...env };
    const bot = spawnBot(botEnv);
    await waitUntilServing(bot, "slack: connected", botEnv);
    return { bot, url: `http://127.0.0.1:${port}/slack/events` };
  }

  /**
   * `paperboy start` in Socket Mode; resolves once it logged "slack: connected" and its index is ready. It gets a PORT of its
   * own for its health endpoints, so bots of parallel test files don't collide on the default.
   */
  async startSocketBot(env: Env = {}): Promise<BotProcess> {
    const botEnv = { ...this.socketEnv(), PORT: String(await freePort()), ...env };
    const bot = spawnBot(botEnv);
    await waitUntilServing(bot, "slack: connected", botEnv);
    return bot;
  }
}
