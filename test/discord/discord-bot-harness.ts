import type { DiscordEmulator } from "../emulators/discord.js";
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
  type Env,
  freePort,
  runCli,
  SAMPLE_PAGE,
} from "../helpers/bot-process.js";

/**
 * One test file's world against the Discord emulator: a fresh database, the emulator's coordinates,
 * and the real CLI and bot (`node bin/paperboy.js …`) on top. Create it after the emulator has started.
 */
export class DiscordWorkspace extends PaperboyWorkspace {
  static async create(emulator: DiscordEmulator, options: WorkspaceOptions = {}): Promise<DiscordWorkspace> {
    return new DiscordWorkspace(emulator, await PaperboyWorkspace.prepare("paperboy-discord-", options));
  }

  private constructor(
    readonly emulator: DiscordEmulator,
    parts: WorkspaceParts,
  ) {
    super(parts);
  }

  /** The bot token and the emulator as Discord's API. */
  discordEnv(): Env {
    return {
      ...this.dbEnv(),
      DISCORD_TOKEN: this.emulator.token,
      DISCORD_API_URL: this.emulator.apiUrl,
    };
  }

  /** `paperboy <args>` with the Discord variables. */
  discordCli(args: string[], env: Env = {}): Promise<CliResult> {
    return runCli(args, { ...this.discordEnv(), ...env });
  }

  /**
   * `paperboy start` with the Discord variables; resolves once it logged "discord: connected". It gets
   * a PORT of its own for its health endpoints (unless `env` names one), so bots of parallel test
   * files don't collide on the default.
   */
  async startBot(env: Env = {}): Promise<BotProcess> {
    const botEnv = { ...this.discordEnv(), PORT: String(await freePort()), ...env };
    const bot = spawnBot(botEnv);
    try {
      await waitUntilServing(bot, "discord: connected", botEnv);
    } catch (error) {
      await bot.stop().catch(() => {});
      throw error;
    }
    return bot;
  }
}
