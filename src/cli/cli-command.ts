import type { ParseArgsConfig } from "node:util";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Runtime } from "../runtime.js";

export interface CliContext {
  config: Config;
  logger: Logger;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** The opened database and core; absent for commands marked `withoutRuntime`. */
  runtime?: Runtime;
}

/** One `paperboy <command>`: its usage, options and what it does. Returns the exit code. */
export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  options?: ParseArgsConfig["options"];
  /** Runs without opening the database (doctor opens it itself, to report on it). */
  withoutRuntime?: boolean;
  /** The process goes on after run() returns (the bot). */
  keepsRunning?: boolean;
  logLevel?(config: Config): Config["LOG_LEVEL"];
  run(context: CliContext): Promise<number>;
}

export function needRuntime(context: CliContext): Runtime {
  if (!context.runtime) throw new Error("this command needs the database");
  return context.runtime;
}

/** A positive whole number option, or an error line. */
export function intOption(
  value: string | boolean | undefined,
  name: string,
  fallback: number,
  max: number,
): number | string {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= max ? n : `--${name} takes a whole number from 1 to ${max}`;
}
