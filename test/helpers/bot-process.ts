import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join, resolve } from "node:path";

/**
 * The real paperboy CLI (`node bin/paperboy.js …`) as child processes of a test: one-shot commands
 * run to their end, and the bot (`start`) with its JSON log lines and a clean stop. Shared by the
 * Slack and Discord harnesses and the tests that start several bots.
 */

export const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/paperboy.js");
export const SAMPLE_PAGE = join(ROOT, "samples/hf-papers-page.txt");

/** Every child started here and not yet seen to exit; killed if the test process goes away first. */
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

export type Env = Record<string, string>;

/** The parent's environment without anything that would configure paperboy behind the test's back. */
export function baseEnv(): Env {
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

/** `paperboy start` with `env` on top of the cleaned parent environment; its logs are read as they come. */
export function spawnBot(env: Env): BotProcess {
  const child = spawn(process.execPath, [BIN, "start"], {
    cwd: ROOT,
    env: { ...baseEnv(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new BotProcess(child);
}

/**
 * Resolves once the bot logged `connected` and, unless its index is off, "search index ready": until
 * then searches answer from the database's own search, which ranks differently from the index the
 * tests compare with (the CLI's answers).
 */
export async function waitUntilServing(bot: BotProcess, connected: string, env: Env): Promise<void> {
  await bot.waitForLog(connected);
  if (env.PAPERBOY_SEARCH_INDEX !== "off") await bot.waitForLog("search index ready");
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

  /** Whether the process is still running. */
  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** Log lines at error level (50) or above. */
  get errors(): LogLine[] {
    return this.logs.filter((l) => l.level >= 50);
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
