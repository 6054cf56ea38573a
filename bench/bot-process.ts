import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { processCpuMs } from "./process-cpu.js";

const ROOT = resolve(import.meta.dirname, "..");

/** A loopback port nothing listens on right now (bound and released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  return typeof address === "object" && address ? address.port : 0;
}

/** This process's environment without anything that would configure paperboy behind the bench's back. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(SLACK_|DISCORD_|PAPERBOY_|LOG_|HF_|ARXIV_|LLM_|NODE_OPTIONS$|DATABASE_URL$|PORT$)/.test(key))
      continue;
    env[key] = value;
  }
  return env;
}

/**
 * `node bin/paperboy.js <args>` as a user runs it: its own process (so its CPU and memory are its own),
 * JSON logs read from stderr, sources pointed at a closed port so nothing leaves the machine.
 */
export class BotProcess {
  private readonly child: ChildProcess;
  private log = "";
  private exited = false;

  constructor(args: string[], env: Record<string, string>) {
    // e.g. BENCH_BOT_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to see where the bot's time goes.
    const nodeArgs = (process.env.BENCH_BOT_NODE_ARGS ?? "").split(" ").filter(Boolean);
    this.child = spawn(process.execPath, [...nodeArgs, "bin/paperboy.js", ...args], {
      cwd: ROOT,
      env: {
        ...cleanEnv(),
        LOG_FORMAT: "json",
        LOG_LEVEL: "info",
        PAPERBOY_SOURCES: "huggingface",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (chunk: Buffer) => {
      // Only the last stretch matters for waiting and for error messages.
      this.log = (this.log + chunk.toString()).slice(-200_000);
    };
    this.child.stdout?.on("data", keep);
    this.child.stderr?.on("data", keep);
    this.child.on("close", () => {
      this.exited = true;
    });
    process.once("exit", () => this.child.kill("SIGKILL"));
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** CPU time (user + system) the process has used so far, in ms; NaN off Linux. */
  cpuMs(): number {
    return processCpuMs(this.pid);
  }

  /** Resolves once a log line's msg contains `text`; fails when the process ends or `ms` pass. */
  async waitForLog(text: string, ms = 600_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.log.includes(`"msg":"${text}`)) {
      if (this.exited) throw new Error(`paperboy exited before logging "${text}":\n${this.log.slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`no "${text}" within ${ms} ms:\n${this.log.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGTERM and the exit; the exit code is the process's own. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const closed = new Promise((done) => this.child.once("close", done));
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 15_000);
    await closed;
    clearTimeout(timer);
  }

  /** Runs `node bin/paperboy.js <args>` to its end; throws with its output when it fails. */
  static async run(args: string[], env: Record<string, string>): Promise<void> {
    const bot = new BotProcess(args, env);
    const code = await new Promise<number | null>((done) => bot.child.once("close", done));
    if (code !== 0) throw new Error(`paperboy ${args.join(" ")} exited ${code}:\n${bot.log.slice(-4000)}`);
  }
}
