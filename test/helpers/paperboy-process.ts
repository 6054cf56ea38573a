import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { baseEnv, type CliResult, ROOT } from "./bot-process.js";

/**
 * The environment of a paperboy process under test: this process's environment without any paperboy,
 * Slack, Discord or database settings, then a data directory of the test's own, no logs, and every
 * source URL pointing at a closed local port.
 */
export function paperboyEnv(
  dataDir: string,
  port: number,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    ...baseEnv(),
    PAPERBOY_DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    HF_BASE_URL: `http://127.0.0.1:${port}`,
    ARXIV_BASE_URL: `http://127.0.0.1:${port}/api/query`,
    NO_COLOR: "1",
    ...extra,
  };
}

/** How a process ended, and everything it printed. */
export type Finished = CliResult;

/** A running `node bin/paperboy.js …`, its output collected as it comes. */
export class PaperboyProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = "";
  stderr = "";
  private readonly exited: Promise<Finished>;

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, ["bin/paperboy.js", ...args], { cwd: ROOT, env });
    this.child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      this.stdout += chunk;
    });
    this.child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve, reject) => {
      this.child.on("error", reject);
      this.child.on("close", (code, signal) =>
        resolve({ code, signal, stdout: this.stdout, stderr: this.stderr }),
      );
    });
  }

  /** Resolves once stdout matches, or rejects when the process ends first or `ms` pass. */
  waitForOutput(pattern: RegExp, ms = 200_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!pattern.test(this.stdout)) return;
        cleanup();
        resolve();
      };
      const ended = () => {
        cleanup();
        reject(new Error(`paperboy ended before printing ${pattern}:\n${this.stdout}\n${this.stderr}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no ${pattern} within ${ms} ms:\n${this.stdout}\n${this.stderr}`));
      }, ms);
      const cleanup = () => {
        clearTimeout(timer);
        this.child.stdout.off("data", check);
        this.child.off("close", ended);
      };
      this.child.stdout.on("data", check);
      this.child.on("close", ended);
      check();
    });
  }

  finished(): Promise<Finished> {
    return this.exited;
  }
}

/** Runs `node bin/paperboy.js …` to its end, with `input` (if any) as its whole standard input. */
export async function runPaperboy(args: string[], env: NodeJS.ProcessEnv, input = ""): Promise<Finished> {
  const process = new PaperboyProcess(args, env);
  process.child.stdin.end(input);
  return process.finished();
}
