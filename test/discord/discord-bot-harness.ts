import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { DiscordEmulator } from "../emulators/discord.js";
import { freshPostgres } from "../helpers/test-databases.js";

/**
 * Runs the real paperboy CLI (`node bin/paperboy.js …`) as child processes against the Discord
 * emulator: the bot (`start`) and one-shot commands (`ingest`, `digest`, `top`, `register-commands`),
 * all on one fresh database per test file (an embedded data directory, or a database of its own on
 * the server at TEST_DATABASE_URL).
 */

const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/paperboy.js");
export const SAMPLE_PAGE = join(ROOT, "samples/hf-papers-page.txt");

/** Every child this file started and has not seen exit; killed if the test process goes away first. */
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

export type Env = Record<string, string>;

/** The parent's environment without anything that would configure paperboy behind the test's back. */
function baseEnv(): Env {
  const env: Env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (
      /^(SLACK_|DISCORD_|PAPERBOY_|LOG_|HF_|ARXIV_|VITEST|NODE_OPTIONS$|DATABASE_URL$|PORT$|SHARDS$|SHARD_COUNT$)/.test(
        key,
      )
    ) {
      continue;
    }
    env[key] = value;
  }
  return env;
}

/** A TCP port nothing listens on right now (bound and released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** One `paperboy <args>` run to its end. */
export function runCli(args: string[], env: Env, timeoutMs = 120_000): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...baseEnv(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<CliResult>((done, fail) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(
        new Error(`paperboy ${args.join(" ")} ran over ${timeoutMs}ms\nstdout: ${stdout}\nstderr: ${stderr}`),
      );
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      live.delete(child);
      fail(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      done({ code, signal, stdout, stderr });
    });
  });
}

/** A pino JSON line from the bot's stderr. */
export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** The bot process (`paperboy start`): its log lines, and a clean stop. */
export class BotProcess {
  readonly logs: LogLine[] = [];
  /** Output that is not a JSON log line (stack traces, tsx warnings), kept for failure messages. */
  readonly otherOutput: string[] = [];
  private readonly waiters = new Set<{ match: (line: LogLine) => boolean; resolve: (l: LogLine) => void }>();
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(private readonly child: ChildProcess) {
    live.add(child);
    let pending = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) this.take(line);
    });
    child.stdout?.on("data", (chunk: Buffer) => this.otherOutput.push(chunk.toString()));
    this.exited = new Promise((done) => {
      child.on("close", (code, signal) => {
        if (pending) this.take(pending);
        live.delete(child);
        this.exitInfo = { code, signal };
        done(this.exitInfo);
      });
    });
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.exitInfo === undefined;
  }

  private take(raw: string): void {
    if (!raw.trim()) return;
    let line: LogLine;
    try {
      line = JSON.parse(raw) as LogLine;
    } catch {
      this.otherOutput.push(raw);
      return;
    }
    this.logs.push(line);
    for (const waiter of [...this.waiters]) {
      if (waiter.match(line)) {
        this.waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  }

  /** What the bot said so far, for failure messages. */
  describe(): string {
    const logs = this.logs.map((l) => JSON.stringify(l)).join("\n  ");
    return `bot logs:\n  ${logs || "(none)"}\nother output:\n  ${this.otherOutput.join("\n  ") || "(none)"}`;
  }

  /** Log lines at error level (50) or above. */
  get errors(): LogLine[] {
    return this.logs.filter((l) => l.level >= 50);
  }

  /** Resolves with the first log line (already seen or coming) whose msg matches; fails if the bot exits. */
  waitForLog(msg: string | RegExp, timeoutMs = 90_000): Promise<LogLine> {
    const match = (line: LogLine) => (typeof msg === "string" ? line.msg === msg : msg.test(line.msg));
    const seen = this.logs.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<LogLine>((done, fail) => {
      const waiter = {
        match,
        resolve: (line: LogLine) => {
          clearTimeout(timer);
          done(line);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        fail(new Error(`no "${msg}" log line within ${timeoutMs}ms\n${this.describe()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
      void this.exited.then((info) => {
        if (!this.waiters.has(waiter)) return;
        this.waiters.delete(waiter);
        clearTimeout(timer);
        fail(new Error(`the bot exited (${JSON.stringify(info)}) before "${msg}"\n${this.describe()}`));
      });
    });
  }

  /** SIGTERM, then waits for the process to exit (SIGKILL and an error if it doesn't within the time). */
  async stop(timeoutMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.exitInfo) return this.exitInfo;
    this.child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, fail) => {
      timer = setTimeout(() => {
        this.child.kill("SIGKILL");
        fail(new Error(`the bot did not exit within ${timeoutMs}ms of SIGTERM\n${this.describe()}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

export interface WorkspaceOptions {
  /** Extra variables for every process (PAPERBOY_VOTE_EMOJI, …). */
  env?: Env;
}

/**
 * One test file's world: a fresh database, the Discord emulator's coordinates, and the CLI on top.
 * Create it after the emulator has started; `close()` removes the database and the temp dir.
 */
export class DiscordWorkspace {
  private constructor(
    readonly emulator: DiscordEmulator,
    readonly dir: string,
    /** The server database's URL (TEST_DATABASE_URL set), else undefined: the embedded one in dir. */
    readonly databaseUrl: string | undefined,
    private readonly dropServerDb: (() => Promise<void>) | undefined,
    private readonly hfUrl: string,
    private readonly extraEnv: Env,
  ) {}

  static async create(emulator: DiscordEmulator, options: WorkspaceOptions = {}): Promise<DiscordWorkspace> {
    const dir = mkdtempSync(join(tmpdir(), "paperboy-discord-"));
    // Nothing listens there: a refresh from Hugging Face fails at once and the stored papers are used.
    const hfUrl = `http://127.0.0.1:${await freePort()}`;
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (!adminUrl) return new DiscordWorkspace(emulator, dir, undefined, undefined, hfUrl, options.env ?? {});
    const fresh = await freshPostgres(adminUrl);
    return new DiscordWorkspace(emulator, dir, fresh.url, fresh.drop, hfUrl, options.env ?? {});
  }

  get kind(): "pglite" | "postgres" {
    return this.databaseUrl ? "postgres" : "pglite";
  }

  /** The database and outside-world part of the environment, without any Discord variable. */
  dbEnv(): Env {
    return {
      ...(this.databaseUrl
        ? { DATABASE_URL: this.databaseUrl }
        : { PAPERBOY_DATA_DIR: join(this.dir, "data") }),
      HF_BASE_URL: this.hfUrl,
      ARXIV_BASE_URL: `${this.hfUrl}/arxiv`,
      PAPERBOY_SOURCES: "huggingface",
      LOG_FORMAT: "json",
      LOG_LEVEL: "info",
      ...this.extraEnv,
    };
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

  /** `paperboy <args>` without Discord: it never touches the emulator. */
  cli(args: string[], env: Env = {}): Promise<CliResult> {
    return runCli(args, { ...this.dbEnv(), ...env });
  }

  /** Loads a file of papers; throws with the output unless it exits 0. */
  async ingest(file: string): Promise<CliResult> {
    const result = await this.cli(["ingest", "--file", file]);
    if (result.code !== 0) {
      throw new Error(
        `paperboy ingest --file ${file} exited ${result.code}: ${result.stderr}${result.stdout}`,
      );
    }
    return result;
  }

  /** Writes a JSONL file of papers into this workspace's temp dir and returns its path. */
  writePapers(name: string, papers: Record<string, unknown>[]): string {
    const path = join(this.dir, name);
    writeFileSync(path, `${papers.map((p) => JSON.stringify(p)).join("\n")}\n`);
    return path;
  }

  /**
   * `paperboy start` with the Discord variables; resolves once it logged "discord: connected". It gets
   * a PORT of its own for its health endpoints (unless `env` names one), so bots of parallel test
   * files don't collide on the default.
   */
  async startBot(env: Env = {}): Promise<BotProcess> {
    const port = String(await freePort());
    const child = spawn(process.execPath, [BIN, "start"], {
      cwd: ROOT,
      env: { ...baseEnv(), ...this.discordEnv(), PORT: port, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const bot = new BotProcess(child);
    try {
      await bot.waitForLog("discord: connected");
    } catch (error) {
      await bot.stop().catch(() => {});
      throw error;
    }
    return bot;
  }

  async close(): Promise<void> {
    await this.dropServerDb?.();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
