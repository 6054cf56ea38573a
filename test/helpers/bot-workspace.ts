import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { type Database, openDatabase } from "../../src/db/client.js";
import { type CliResult, type Env, freePort, runCli } from "./bot-process.js";
import { freshPostgres } from "./test-databases.js";

export interface WorkspaceOptions {
  /** Extra variables for every process (PAPERBOY_ADMINS, PAPERBOY_VOTE_EMOJI, …). */
  env?: Env;
}

/** What a workspace is made of: its temp dir, its database, and a closed port standing in for the sources. */
export interface WorkspaceParts {
  dir: string;
  /** The server database (TEST_DATABASE_URL set), else undefined: the embedded one in dir. */
  server: { db: Database; url: string; drop(): Promise<void> } | undefined;
  hfUrl: string;
  extraEnv: Env;
}

/**
 * One test file's world for bot processes: a fresh database (an embedded data directory, or a
 * database of its own on the server at TEST_DATABASE_URL) and the CLI on top. The Slack and Discord
 * workspaces add their platform's variables.
 */
export class PaperboyWorkspace {
  readonly dir: string;
  readonly databaseUrl: string | undefined;

  protected constructor(private readonly parts: WorkspaceParts) {
    this.dir = parts.dir;
    this.databaseUrl = parts.server?.url;
  }

  protected static async prepare(prefix: string, options: WorkspaceOptions): Promise<WorkspaceParts> {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    // Nothing listens there: a refresh from Hugging Face fails at once and the stored papers are used.
    const hfUrl = `http://127.0.0.1:${await freePort()}`;
    const adminUrl = process.env.TEST_DATABASE_URL;
    const server = adminUrl ? await freshPostgres(adminUrl) : undefined;
    return { dir, server, hfUrl, extraEnv: options.env ?? {} };
  }

  get kind(): "pglite" | "postgres" {
    return this.databaseUrl ? "postgres" : "pglite";
  }

  /** The database and outside-world part of the environment, without any platform variable. */
  dbEnv(): Env {
    return {
      // The data directory is the workspace's on a server too: its index snapshot stays out of the repository.
      ...(this.databaseUrl ? { DATABASE_URL: this.databaseUrl } : {}),
      PAPERBOY_DATA_DIR: join(this.dir, "data"),
      HF_BASE_URL: this.parts.hfUrl,
      ARXIV_BASE_URL: `${this.parts.hfUrl}/arxiv`,
      PAPERBOY_SOURCES: "huggingface",
      LOG_FORMAT: "json",
      LOG_LEVEL: "info",
      ...this.parts.extraEnv,
    };
  }

  /** `paperboy <args>` without any platform: it never touches an emulator. */
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
    if (this.parts.server) return read(this.parts.server.db);
    const db = await openDatabase({ dataDir: join(this.dir, "data"), command: "test" });
    try {
      return await read(db);
    } finally {
      await db.close();
    }
  }

  async close(): Promise<void> {
    await this.parts.server?.drop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
