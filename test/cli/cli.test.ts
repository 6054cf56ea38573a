import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, SAMPLE_PAGE } from "../helpers/bot-process.js";
import { type Finished, PaperboyProcess, paperboyEnv, runPaperboy } from "../helpers/paperboy-process.js";
import { freshPostgres } from "../helpers/test-databases.js";

interface SearchRow {
  id: string;
  title: string;
  score: number;
  url: string;
}

/** Each command is a real process (tsx, and PGlite opening its files): seconds each, more on a busy machine. */
const SLOW = 240_000;

/** What a user should never see: a stack trace. */
const STACK = /\n\s+at .+:\d+:\d+/;

function parseRows(result: Finished): SearchRow[] {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  const rows = JSON.parse(result.stdout) as SearchRow[];
  expect(Array.isArray(rows)).toBe(true);
  return rows;
}

function expectCompressionResults(rows: SearchRow[]): void {
  expect(rows.length).toBeGreaterThanOrEqual(3);
  for (const row of rows) {
    expect(Object.keys(row).sort()).toEqual(["id", "score", "title", "url"]);
    expect(row.id).toMatch(/^(t:[0-9a-f]{16}|\d{4}\.\d{4,5})$/);
    expect(typeof row.title).toBe("string");
    expect(Number.isFinite(row.score)).toBe(true);
    expect(row.url).toMatch(/^https:\/\//);
  }
  for (const row of rows.slice(0, 3)) expect(row.title).toMatch(/compress/i);
  const scores = rows.map((r) => r.score);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
}

let root = "";
let port = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "paperboy-cli-"));
  port = await freePort();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("paperboy CLI on the embedded database", { timeout: SLOW }, () => {
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    env = paperboyEnv(join(root, "library"), port);
  });

  it("says how to fill an empty library instead of finding nothing", async () => {
    const result = await runPaperboy(["search", "compression"], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("The library is empty.");
    expect(result.stdout).toContain("npx paperboy ingest --file");
  });

  it("ingests the sample page: 100 new papers", async () => {
    const result = await runPaperboy(["ingest", "--file", SAMPLE_PAGE], env);
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("100 papers from file: 100 new, 0 updated. Library: 100 papers.");
    expect(result.code).toBe(0);
  });

  it("searches it as JSON: {id, title, score, url}, papers on compression first", async () => {
    const rows = parseRows(await runPaperboy(["search", "compression", "--json"], env));
    expect(rows.length).toBeLessThanOrEqual(10);
    expectCompressionResults(rows);
    const limited = parseRows(await runPaperboy(["search", "compression", "--json", "--limit", "2"], env));
    expect(limited).toEqual(rows.slice(0, 2));
  });

  it("prints readable search results without --json", async () => {
    const result = await runPaperboy(["search", "kv", "cache", "compression"], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Papers on "kv cache compression"');
    expect(result.stdout).toContain("Scissorhands");
    expect(result.stdout).not.toContain("\u001b[");
  });

  describe("a failed ingest exits 1, says why, and writes nothing", () => {
    it("a missing file", async () => {
      const missing = join(root, "no-such-file.json");
      const result = await runPaperboy(["ingest", "--file", missing], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`file not found: ${missing}`);
      expect(result.stderr).toContain("Nothing was written.");
      expect(result.stderr).not.toMatch(STACK);
      expect(result.stdout).toBe("");
    });

    it("a binary file", async () => {
      const binary = join(root, "papers.bin");
      await writeFile(
        binary,
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0xff]),
      );
      const result = await runPaperboy(["ingest", "--file", binary], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${binary} is binary, not text`);
      expect(result.stderr).toContain("Nothing was written.");
      expect(result.stderr).not.toMatch(STACK);
    });

    it("a JSONL file with one bad line after a good one", async () => {
      const jsonl = join(root, "papers.jsonl");
      await writeFile(
        jsonl,
        [
          JSON.stringify({ arxivId: "2609.00001", title: "Quokka Attention for Zyzzyva Models" }),
          JSON.stringify({ arxivId: "2609.00002", title: "" }),
          JSON.stringify({ arxivId: "2609.00003", title: "Another fine paper" }),
        ].join("\n"),
      );
      const result = await runPaperboy(["ingest", "--file", jsonl], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/line 2: .*title is empty/);
      expect(result.stderr).toContain("Nothing was written.");
      expect(parseRows(await runPaperboy(["search", "zyzzyva quokka", "--json"], env))).toEqual([]);
    });

    it("leaves the library at 100 papers", async () => {
      const result = await runPaperboy(["ingest", "--file", SAMPLE_PAGE], env);
      expect(result.stdout.trim()).toBe("100 papers from file: 0 new, 100 updated. Library: 100 papers.");
      expect(result.code).toBe(0);
    });
  });

  it("refuses bad usage of a command with exit code 2", async () => {
    const noQuery = await runPaperboy(["search"], env);
    expect(noQuery.code).toBe(2);
    expect(noQuery.stderr).toContain("what should I look for?");
    const badLimit = await runPaperboy(["search", "x", "--limit", "0"], env);
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr).toContain("--limit takes a whole number from 1 to 100");
    const unknownOption = await runPaperboy(["search", "x", "--frobnicate"], env);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain('Usage: paperboy search "<query>"');
    expect(unknownOption.stderr).not.toMatch(STACK);
  });
});

describe("paperboy CLI: configuration and commands", { timeout: SLOW }, () => {
  it("exits 2 on bad configuration, listing every problem without a stack trace or a secret", async () => {
    const env = paperboyEnv(join(root, "bad-config"), port, {
      PORT: "abc",
      SLACK_BOT_TOKEN: "bad-SECRETVALUE-123",
      DATABASE_URL: "postgres://paperboy:hunter2SECRET@127.0.0.1:1/paperboy",
    });
    const result = await runPaperboy(["search", "x"], env);
    expect(result.code).toBe(2);
    // The bad token still counts as "set", so HTTP mode's missing signing secret is listed too.
    expect(result.stderr).toMatch(/has 3 problem\(s\)/);
    expect(result.stderr).toMatch(/^ {2}- SLACK_SIGNING_SECRET: is required with SLACK_BOT_TOKEN/m);
    expect(result.stderr).toMatch(/^ {2}- PORT: .+\(example: PORT=3000\)$/m);
    expect(result.stderr).toMatch(/^ {2}- SLACK_BOT_TOKEN: must be a bot token starting with xoxb- /m);
    expect(result.stderr).not.toMatch(STACK);
    // The variable names may appear (SLACK_SIGNING_SECRET); the values never.
    expect(result.stderr).not.toContain("SECRETVALUE");
    expect(result.stderr).not.toContain("hunter2");
    expect(result.stdout).toBe("");
    // Configuration is checked before anything is opened.
    expect(existsSync(join(root, "bad-config"))).toBe(false);
  });

  it("exits 2 on an unknown command, showing the commands there are", async () => {
    const result = await runPaperboy(["frobnicate"], paperboyEnv(join(root, "unknown"), port));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('paperboy: unknown command "frobnicate"');
    for (const name of ["start", "ingest", "search", "top", "digest", "doctor"]) {
      expect(result.stderr).toMatch(new RegExp(`^ {2}${name}\\b`, "m"));
    }
  });

  it("lists no digest runs on an empty database", async () => {
    const result = await runPaperboy(["digest", "--status"], paperboyEnv(join(root, "empty"), port));
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("No digest has run yet.");
    expect(result.code).toBe(0);
  });

  it("says where the database is when the server cannot be reached, without the password", async () => {
    const env = paperboyEnv(join(root, "unreachable"), port, {
      DATABASE_URL: `postgres://paperboy:hunter2SECRET@127.0.0.1:${port}/papers`,
    });
    const result = await runPaperboy(["search", "x"], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot use the database at 127.0.0.1:${port}/papers`);
    expect(result.stderr).toContain("Is PostgreSQL running, and is DATABASE_URL right?");
    expect(result.stderr).not.toContain("hunter2");
    expect(result.stderr).not.toMatch(STACK);
  });
});

describe("paperboy CLI: one process at a time on the embedded database", { timeout: SLOW }, () => {
  let bot: PaperboyProcess | null = null;
  afterAll(async () => {
    if (bot && bot.child.exitCode === null && bot.child.signalCode === null) {
      bot.child.kill("SIGKILL");
      await bot.finished();
    }
  });

  it("tells a second process which process holds the data directory, and stops cleanly on SIGTERM", async () => {
    const dataDir = join(root, "locked");
    const env = paperboyEnv(dataDir, port);
    bot = new PaperboyProcess(["start"], env);
    // Standard input stays open: the terminal channel keeps running.
    await bot.waitForOutput(/📰 Today's papers[\s\S]*\[5\] [\s\S]*react <n> <emoji>/);
    expect(existsSync(join(dataDir, "paperboy.lock"))).toBe(true);

    const second = await runPaperboy(["search", "x"], env);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `is in use by another paperboy process (pid ${bot.child.pid}, "paperboy start"`,
    );
    expect(second.stderr).toContain("DATABASE_URL");
    expect(second.stderr).not.toMatch(STACK);
    expect(second.stdout).toBe("");

    bot.child.kill("SIGTERM");
    const stopped = await bot.finished();
    expect(stopped.signal).toBeNull();
    expect(stopped.code).toBe(0);
    expect(existsSync(join(dataDir, "paperboy.lock"))).toBe(false);

    // Once it stopped, the data directory is free again.
    const after = await runPaperboy(["digest", "--status"], env);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/terminal:terminal {2}done {2}5 papers/);
  });
});

describe.runIf(Boolean(process.env.TEST_DATABASE_URL))(
  "paperboy CLI on a PostgreSQL server",
  { timeout: SLOW },
  () => {
    let server: Awaited<ReturnType<typeof freshPostgres>> | null = null;
    let env: NodeJS.ProcessEnv;
    beforeAll(async () => {
      server = await freshPostgres(process.env.TEST_DATABASE_URL as string);
      env = paperboyEnv(join(root, "unused-with-postgres"), port, { DATABASE_URL: server.url });
    });
    afterAll(async () => {
      await server?.drop();
    });

    it("ingests the sample page and searches it", async () => {
      const ingest = await runPaperboy(["ingest", "--file", SAMPLE_PAGE], env);
      expect(ingest.stderr).toBe("");
      expect(ingest.stdout.trim()).toBe("100 papers from file: 100 new, 0 updated. Library: 100 papers.");
      expect(ingest.code).toBe(0);
      expectCompressionResults(parseRows(await runPaperboy(["search", "compression", "--json"], env)));
    });

    it("serves several processes at once", async () => {
      const [a, b] = await Promise.all([
        runPaperboy(["search", "compression", "--json"], env),
        runPaperboy(["search", "compression", "--json"], env),
      ]);
      expect(parseRows(b)).toEqual(parseRows(a));
    });
  },
);
