import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sql } from "drizzle-orm";
import { type Database, openDatabase } from "../../src/db/client.js";
import type { SlackEmulator } from "../emulators/slack.js";
import { freshPostgres } from "../helpers/test-databases.js";

/**
 * Runs the real paperboy CLI (`node bin/paperboy.js …`) as child processes against a Slack emulator:
 * the bot (`start`) and one-shot commands (`ingest`, `digest`, `top`), all on one fresh database per
 * test file (an embedded data directory, or a server database when TEST_DATABASE_URL is set).
 */

const ROOT = resolve(import.meta.dirname, "../..");
/**
 * Generous limits for tests and hooks that start processes: each `node bin/paperboy.js` compiles the
 * sources and opens the database, which takes many seconds on a busy machine. Nothing measures speed.
 */
export const PROCESS_TIMEOUT_MS = 300_000;
/** How long the emulator waits for the bot's calls and answers. */
export const WIRE_TIMEOUT_MS = 60_000;
const BIN = join(ROOT, "bin/paperboy.js");
export const SAMPLE_PAGE = join(ROOT, "samples/hf-papers-page.txt");

/** Every child this file started and has not seen exit; killed if the test process goes away first. */
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

type Env = Record<string, string>;

/** The parent's environment without anything that would configure paperboy behind the test's back. */
function baseEnv(): Env {
  const env: Env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(SLACK_|DISCORD_|PAPERBOY_|LOG_|HF_|ARXIV_|VITEST|NODE_OPTIONS$|DATABASE_URL$|PORT$)/.test(key)) {
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
export function runCli(args: string[], env: Env, timeoutMs = 180_000): Promise<CliResult> {
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
  /** stderr lines that are not JSON (stack traces, tsx warnings), kept for failure messages. */
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

  get pid(): number | undefined {
    return this.child.pid;
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

  /** Resolves with the first log line (already seen or coming) whose msg matches; fails if the bot exits. */
  waitForLog(msg: string | RegExp, timeoutMs = 180_000): Promise<LogLine> {
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
  async stop(timeoutMs = 60_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
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
  /** Extra variables for every process (PAPERBOY_ADMINS, …). */
  env?: Env;
}

/**
 * One test file's world: a fresh database, the Slack emulator's coordinates, and the CLI on top.
 * Create it after the emulator has started; `close()` after the emulator has stopped or before, it
 * only removes the database.
 */
export class BotWorkspace {
  /** The server database's URL (TEST_DATABASE_URL set), else undefined: the embedded one in dataDir. */
  private constructor(
    readonly emulator: SlackEmulator,
    readonly dir: string,
    readonly databaseUrl: string | undefined,
    private readonly serverDb: { db: Database; drop(): Promise<void> } | undefined,
    private readonly hfUrl: string,
    private readonly extraEnv: Env,
  ) {}

  static async create(emulator: SlackEmulator, options: WorkspaceOptions = {}): Promise<BotWorkspace> {
    const dir = mkdtempSync(join(tmpdir(), "paperboy-slack-"));
    // Nothing listens there: a refresh from Hugging Face fails at once and the stored papers are used.
    const hfUrl = `http://127.0.0.1:${await freePort()}`;
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (!adminUrl) return new BotWorkspace(emulator, dir, undefined, undefined, hfUrl, options.env ?? {});
    const fresh = await freshPostgres(adminUrl);
    return new BotWorkspace(emulator, dir, fresh.url, fresh, hfUrl, options.env ?? {});
  }

  get kind(): "pglite" | "postgres" {
    return this.databaseUrl ? "postgres" : "pglite";
  }

  /** The database and outside-world part of the environment, without any Slack variable. */
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

  /** Socket Mode: bot and app tokens, no signing secret and no port. */
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

  /** `paperboy <args>` without Slack: it never touches Slack. */
  cli(args: string[], env: Env = {}): Promise<CliResult> {
    return runCli(args, { ...this.dbEnv(), ...env });
  }

  /** Loads a file of papers (exit code 0 asserted by the caller through the result). */
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

  /** `paperboy start` in HTTP mode; resolves once it logged "slack: connected". */
  async startHttpBot(env: Env = {}): Promise<{ bot: BotProcess; url: string }> {
    const port = await freePort();
    const bot = this.spawnBot({ ...this.httpEnv(port), ...env });
    await bot.waitForLog("slack: connected");
    return { bot, url: `http://127.0.0.1:${port}/slack/events` };
  }

  /**
   * `paperboy start` in Socket Mode; resolves once it logged "slack: connected". It gets a PORT of its
   * own for its health endpoints, so bots of parallel test files don't collide on the default.
   */
  async startSocketBot(env: Env = {}): Promise<BotProcess> {
    const bot = this.spawnBot({ ...this.socketEnv(), PORT: String(await freePort()), ...env });
    await bot.waitForLog("slack: connected");
    return bot;
  }

  private spawnBot(env: Env): BotProcess {
    const child = spawn(process.execPath, [BIN, "start"], {
      cwd: ROOT,
      env: { ...baseEnv(), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    return new BotProcess(child);
  }

  /**
   * Row counts read from the database itself. With the embedded database the bot must be stopped
   * (one process at a time); the server database can be read while it runs.
   */
  async counts(): Promise<{
    papers: number;
    channels: number;
    subscribed: number;
    posts: number;
    votes: number;
  }> {
    const read = async (db: Database) => {
      const [row] = await db.rows<Record<string, number>>(sql`
        select (select count(*) from papers)::int as papers,
               (select count(*) from channels)::int as channels,
               (select count(*) from channels where subscribed)::int as subscribed,
               (select count(*) from posts)::int as posts,
               (select count(*) from votes)::int as votes`);
      return row as { papers: number; channels: number; subscribed: number; posts: number; votes: number };
    };
    if (this.serverDb) return read(this.serverDb.db);
    const db = await openDatabase({ dataDir: join(this.dir, "data"), command: "test" });
    try {
      return await read(db);
    } finally {
      await db.close();
    }
  }

  async close(): Promise<void> {
    await this.serverDb?.drop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
