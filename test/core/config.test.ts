import { describe, expect, it } from "vitest";
import { type Config, parseConfig, platformsOf, SECRET_KEYS } from "../../src/config.js";

function valid(env: NodeJS.ProcessEnv): Config {
  const result = parseConfig(env);
  if (!result.ok) throw new Error(`expected a valid configuration, got:\n${result.error}`);
  return result.value;
}

function problems(env: NodeJS.ProcessEnv): string {
  const result = parseConfig(env);
  if (result.ok) throw new Error(`expected configuration problems for ${JSON.stringify(env)}`);
  return result.error;
}

/** The variable names of the "  - NAME: …" lines of an error text. */
function namedIn(error: string): string[] {
  return [...error.matchAll(/^ {2}- ([A-Z_]+): /gm)].map((m) => m[1] as string);
}

describe("parseConfig: defaults", () => {
  it("accepts an empty environment: the terminal channel on the embedded database", () => {
    const config = valid({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.LOG_FORMAT).toBeUndefined();
    expect(config.PAPERBOY_VOTE_EMOJI).toBeUndefined();
    expect(config).toMatchObject({
      PAPERBOY_DATA_DIR: "./data",
      LOG_LEVEL: "info",
      PORT: 3000,
      PAPERBOY_ADMINS: [],
      PAPERBOY_TIMEZONE: "UTC",
      PAPERBOY_DIGEST_TIME: "09:00",
      PAPERBOY_SOURCES: ["huggingface"],
      ARXIV_CATEGORIES: "cs.LG cs.CL cs.CV cs.AI",
      HF_BASE_URL: "https://huggingface.co",
      ARXIV_BASE_URL: "https://export.arxiv.org/api/query",
    });
    expect(platformsOf(config)).toEqual({ slack: false, discord: false });
  });

  it("treats blank values (as a copied .env.example leaves them) as unset", () => {
    const config = valid({
      DATABASE_URL: "",
      PORT: "  ",
      LOG_LEVEL: "",
      PAPERBOY_TIMEZONE: "",
      PAPERBOY_SOURCES: " ",
      SLACK_BOT_TOKEN: "",
      SLACK_SIGNING_SECRET: "",
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.PORT).toBe(3000);
    expect(config.LOG_LEVEL).toBe("info");
    expect(config.PAPERBOY_TIMEZONE).toBe("UTC");
    expect(config.PAPERBOY_SOURCES).toEqual(["huggingface"]);
    expect(config.SLACK_BOT_TOKEN).toBeUndefined();
  });

  it("reads values of the right types", () => {
    const config = valid({
      DATABASE_URL: "postgresql://paperboy:pw@db.internal:6543/papers",
      PORT: "8080",
      LOG_LEVEL: "debug",
      LOG_FORMAT: "pretty",
      PAPERBOY_ADMINS: "U012ABCDEF, 123456789012345678 U999",
      PAPERBOY_TIMEZONE: "America/Argentina/Buenos_Aires",
      PAPERBOY_DIGEST_TIME: "07:45",
      DISCORD_TOKEN: "discord-token",
      DISCORD_APPLICATION_ID: "1051234567890123456",
    });
    expect(config.PORT).toBe(8080);
    expect(config.LOG_FORMAT).toBe("pretty");
    expect(config.PAPERBOY_ADMINS).toEqual(["U012ABCDEF", "123456789012345678", "U999"]);
    expect(config.PAPERBOY_TIMEZONE).toBe("America/Argentina/Buenos_Aires");
    expect(config.PAPERBOY_DIGEST_TIME).toBe("07:45");
    expect(platformsOf(config)).toEqual({ slack: false, discord: true });
  });
});

describe("parseConfig: problems", () => {
  it("lists every problem at once, each with its name, what is wrong and an example", () => {
    const error = problems({
      PORT: "abc",
      LOG_LEVEL: "loud",
      PAPERBOY_DIGEST_TIME: "25:00",
      HF_BASE_URL: "not a url",
      DISCORD_APPLICATION_ID: "my-app",
      PAPERBOY_TIMEZONE: "Mars/Olympus_Mons",
    });
    expect(error).toMatch(/has 6 problem\(s\)/);
    expect(namedIn(error).sort()).toEqual(
      [
        "DISCORD_APPLICATION_ID",
        "HF_BASE_URL",
        "LOG_LEVEL",
        "PAPERBOY_DIGEST_TIME",
        "PAPERBOY_TIMEZONE",
        "PORT",
      ].sort(),
    );
    const lines = error.split("\n").filter((line) => line.startsWith("  - "));
    expect(lines).toHaveLength(6);
    for (const line of lines) {
      const name = namedIn(line)[0] as string;
      // name: what is wrong (example: NAME=value)
      expect(line).toMatch(new RegExp(`^ {2}- ${name}: .{8,} \\(example: ${name}=\\S+\\)$`));
    }
    expect(error).toMatch(/PAPERBOY_DIGEST_TIME: must be a time of day as HH:MM/);
    expect(error).toMatch(/LOG_LEVEL: .*"info"/);
    expect(error).toContain("See .env.example");
  });

  it("rejects out-of-range and non-integer ports", () => {
    expect(namedIn(problems({ PORT: "70000" }))).toEqual(["PORT"]);
    expect(namedIn(problems({ PORT: "0" }))).toEqual(["PORT"]);
    expect(namedIn(problems({ PORT: "3000.5" }))).toEqual(["PORT"]);
  });

  it("reads the connection pool size per process, 10 by default, and refuses a useless one", () => {
    expect(valid({}).DATABASE_POOL_MAX).toBe(10);
    expect(valid({ DATABASE_POOL_MAX: "" }).DATABASE_POOL_MAX).toBe(10);
    expect(valid({ DATABASE_POOL_MAX: "4" }).DATABASE_POOL_MAX).toBe(4);
    for (const bad of ["0", "2.5", "many", "1000"]) {
      const error = problems({ DATABASE_POOL_MAX: bad });
      expect(namedIn(error)).toEqual(["DATABASE_POOL_MAX"]);
      expect(error).toContain("(example: DATABASE_POOL_MAX=10)");
    }
  });

  it("rejects a database URL that is not PostgreSQL", () => {
    const error = problems({ DATABASE_URL: "mysql://localhost/papers" });
    expect(error).toMatch(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/);
  });

  it("rejects a time zone that does not exist, and names it", () => {
    const error = problems({ PAPERBOY_TIMEZONE: "Europe/Atlantis" });
    expect(error).toMatch(
      /PAPERBOY_TIMEZONE: must be an IANA time zone \(example: PAPERBOY_TIMEZONE=Europe\/Berlin\)/,
    );
    expect(valid({ PAPERBOY_TIMEZONE: "Asia/Kolkata" }).PAPERBOY_TIMEZONE).toBe("Asia/Kolkata");
  });
});

describe("parseConfig: secrets never appear in an error", () => {
  const secretValues = {
    SLACK_BOT_TOKEN: "xoxb-SECRETVALUE-1234567890",
    SLACK_SIGNING_SECRET: "SIGNINGSECRETVALUE0123456789abcd",
    SLACK_APP_TOKEN: "xapp-1-APPSECRETVALUE",
    DISCORD_TOKEN: "DISCORDSECRETVALUE.abc.def",
    DATABASE_URL: "postgres://paperboy:hunter2SECRETPASSWORD@db:5432/paperboy",
  };

  it("keeps valid secrets out of the problem list of other variables", () => {
    const error = problems({ ...secretValues, PORT: "abc", LOG_LEVEL: "loud" });
    expect(namedIn(error).sort()).toEqual(["LOG_LEVEL", "PORT"]);
    for (const value of Object.values(secretValues)) expect(error).not.toContain(value);
    expect(error).not.toContain("SECRET");
    expect(error).not.toContain("hunter2");
  });

  it("names an invalid secret without printing its value", () => {
    const error = problems({
      SLACK_BOT_TOKEN: "xoxp-SECRETVALUE-user-token",
      SLACK_APP_TOKEN: "xoxb-APPSECRETVALUE",
      DATABASE_URL: "mysql://paperboy:hunter2SECRETPASSWORD@db/paperboy",
      SLACK_SIGNING_SECRET: "SIGNINGSECRETVALUE",
    });
    expect(namedIn(error).sort()).toEqual(["DATABASE_URL", "SLACK_APP_TOKEN", "SLACK_BOT_TOKEN"]);
    expect(error).toMatch(/SLACK_BOT_TOKEN: must be a bot token starting with xoxb-/);
    expect(error).toMatch(/SLACK_APP_TOKEN: must be an app-level token starting with xapp-/);
    expect(error).not.toContain("SECRETVALUE");
    expect(error).not.toContain("hunter2");
  });

  it("declares every token and the database URL as secret", () => {
    expect(SECRET_KEYS).toEqual(
      expect.arrayContaining([
        "DATABASE_URL",
        "DISCORD_TOKEN",
        "SLACK_APP_TOKEN",
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
      ]),
    );
  });
});

describe("parseConfig: Slack settings go together", () => {
  const bot = "xoxb-1-2-abc";

  it("needs a signing secret with a bot token in HTTP mode", () => {
    const error = problems({ SLACK_BOT_TOKEN: bot });
    expect(namedIn(error)).toEqual(["SLACK_SIGNING_SECRET"]);
    expect(error).toMatch(/SLACK_SIGNING_SECRET: is required with SLACK_BOT_TOKEN .*SLACK_APP_TOKEN/);
  });

  it("accepts a bot token with a signing secret (HTTP) or an app token (Socket Mode)", () => {
    expect(platformsOf(valid({ SLACK_BOT_TOKEN: bot, SLACK_SIGNING_SECRET: "s3cr3t" }))).toEqual({
      slack: true,
      discord: false,
    });
    expect(valid({ SLACK_BOT_TOKEN: bot, SLACK_APP_TOKEN: "xapp-1-abc" }).SLACK_APP_TOKEN).toBe("xapp-1-abc");
  });

  it.each([{ SLACK_APP_TOKEN: "xapp-1-abc" }, { SLACK_SIGNING_SECRET: "s3cr3t" }])(
    "needs the bot token when another Slack setting is given: %o",
    (env) => {
      const error = problems(env);
      expect(namedIn(error)).toEqual(["SLACK_BOT_TOKEN"]);
      expect(error).toMatch(
        /SLACK_BOT_TOKEN: is required when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set/,
      );
    },
  );

  it("reports a Slack cross-field problem together with an unrelated range problem", () => {
    expect(namedIn(problems({ SLACK_BOT_TOKEN: bot, PORT: "70000" })).sort()).toEqual([
      "PORT",
      "SLACK_SIGNING_SECRET",
    ]);
  });

  // BUG (src/config.ts, the `.superRefine` on the schema): zod 4 skips refinements when an earlier
  // check produced an aborting issue (a type error such as PORT=abc -> NaN), so the missing
  // SLACK_SIGNING_SECRET is only reported after PORT is fixed: not "every problem at once".
  it("reports a Slack cross-field problem together with a type error elsewhere", () => {
    expect(namedIn(problems({ SLACK_BOT_TOKEN: bot, PORT: "abc" })).sort()).toEqual([
      "PORT",
      "SLACK_SIGNING_SECRET",
    ]);
  });
});

describe("parseConfig: PAPERBOY_SOURCES", () => {
  it.each([
    ["huggingface", ["huggingface"]],
    ["arxiv", ["arxiv"]],
    ["huggingface,arxiv", ["huggingface", "arxiv"]],
    ["arxiv huggingface", ["arxiv", "huggingface"]],
    [" arxiv , huggingface ", ["arxiv", "huggingface"]],
  ])("reads %j as a list", (value, expected) => {
    expect(valid({ PAPERBOY_SOURCES: value }).PAPERBOY_SOURCES).toEqual(expected);
  });

  it("rejects an unknown source, naming the ones there are", () => {
    const error = problems({ PAPERBOY_SOURCES: "huggingface,semantic-scholar" });
    expect(namedIn(error)).toEqual(["PAPERBOY_SOURCES"]);
    expect(error).toMatch(/PAPERBOY_SOURCES: sources are huggingface and arxiv/);
    expect(error).toContain("(example: PAPERBOY_SOURCES=huggingface,arxiv)");
  });
});

describe("parseConfig: semantic search settings go together", () => {
  it("needs a model with an embeddings URL, and a URL with a model", () => {
    expect(namedIn(problems({ EMBEDDINGS_URL: "http://localhost:11434/v1" }))).toEqual(["EMBEDDINGS_MODEL"]);
    expect(namedIn(problems({ EMBEDDINGS_MODEL: "nomic-embed-text" }))).toEqual(["EMBEDDINGS_URL"]);
  });

  it("reads both, with a short default timeout, and keeps the key secret", () => {
    const config = valid({
      EMBEDDINGS_URL: "http://localhost:11434/v1",
      EMBEDDINGS_MODEL: "nomic-embed-text",
    });
    expect(config.EMBEDDINGS_TIMEOUT_MS).toBe(1500);
    expect(valid({}).EMBEDDINGS_URL).toBeUndefined();
    expect(SECRET_KEYS).toContain("EMBEDDINGS_API_KEY");
  });
});
