import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../helpers/bot-process.js";

const run = promisify(execFile);
const BIN = "/usr/lib/postgresql/15/bin";

/** Why a throwaway cluster can't be made here, or null when it can. */
export function throwawayPostgresUnavailable(): string | null {
  for (const tool of ["initdb", "pg_ctl", "postgres"]) {
    if (!existsSync(join(BIN, tool))) return `${join(BIN, tool)} is missing (PostgreSQL 15 server binaries)`;
  }
  if (!existsSync("/usr/sbin/runuser") && !existsSync("/sbin/runuser")) return "runuser is missing";
  if (process.getuid?.() !== 0) return "the tests must run as root to start PostgreSQL as the postgres user";
  return null;
}

/**
 * A PostgreSQL cluster of the test's own, in a temp dir, on a free loopback port, trust auth: a test
 * may stop and start it (a database outage) without disturbing anyone else's server. The server runs
 * as the postgres user (it refuses root), started with pg_ctl through runuser.
 */
export class ThrowawayPostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get data(): string {
    return join(this.dir, "data");
  }

  static async create(): Promise<ThrowawayPostgres> {
    const dir = mkdtempSync(join(tmpdir(), "paperboy-pg-"));
    const pg = new ThrowawayPostgres(dir, await freePort());
    chownSync(dir, uid("postgres"), gid("postgres"));
    await pg.asPostgres("initdb", [
      "-D",
      pg.data,
      "-U",
      "postgres",
      "-A",
      "trust",
      "--no-sync",
      "-E",
      "UTF8",
    ]);
    await pg.start();
    return pg;
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await this.asPostgres("pg_ctl", [
      "-D",
      this.data,
      "-l",
      join(this.dir, "log"),
      "-w",
      "-o",
      options,
      "start",
    ]);
  }

  /** Stops the server as an operator's fast shutdown does: sessions are ended (57P01), then it exits. */
  async stop(): Promise<void> {
    await this.asPostgres("pg_ctl", ["-D", this.data, "-m", "fast", "-w", "stop"]);
  }

  /** The server's log, for failure messages. */
  log(): string {
    try {
      return readFileSync(join(this.dir, "log"), "utf8");
    } catch {
      return "(no log)";
    }
  }

  /** Stops the server if it runs and removes everything; safe to call whatever state it is in. */
  async destroy(): Promise<void> {
    if (existsSync(join(this.data, "postmaster.pid"))) {
      await this.asPostgres("pg_ctl", ["-D", this.data, "-m", "immediate", "-w", "stop"]).catch(() => {});
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async asPostgres(tool: string, args: string[]): Promise<void> {
    try {
      await run("runuser", ["-u", "postgres", "--", join(BIN, tool), ...args], { cwd: this.dir });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`${tool} ${args.join(" ")} failed: ${stderr || stdout || (error as Error).message}`);
    }
  }
}

function idOf(flag: "-u" | "-g", name: string): number {
  // `id` answers from the system's user database, whatever backs it.
  return Number(execFileSync("id", [flag, name], { encoding: "utf8" }).trim());
}

const uid = (name: string) => idOf("-u", name);
const gid = (name: string) => idOf("-g", name);
