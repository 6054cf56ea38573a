import { z } from "zod";
import { fail, ok, type Result } from "./core/result.js";

/** An example for each variable, shown next to its problem so the fix is one copy away. */
const EXAMPLES: Record<string, string> = {
  DATABASE_URL: "postgres://paperboy:secret@localhost:5432/paperboy",
  DATABASE_POOL_MAX: "10",
  PAPERBOY_DATA_DIR: "./data",
  LOG_LEVEL: "info",
  LOG_FORMAT: "json",
  PORT: "3000",
  SLACK_BOT_TOKEN: "xoxb-1234-5678-abcdef",
  SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99yyyzzz85a5",
  SLACK_APP_TOKEN: "xapp-1-A111-222-abcdef",
  SLACK_API_URL: "https://slack.com/api/",
  DISCORD_TOKEN: "MTA1...your-bot-token",
  DISCORD_APPLICATION_ID: "1051234567890123456",
  DISCORD_API_URL: "https://discord.com/api",
  PAPERBOY_ADMINS: "U012ABCDEF,123456789012345678",
  PAPERBOY_TIMEZONE: "Europe/Berlin",
  PAPERBOY_DIGEST_TIME: "09:00",
  PAPERBOY_SOURCES: "huggingface,arxiv",
  ARXIV_CATEGORIES: "cs.LG cs.CL cs.CV cs.AI",
  HF_BASE_URL: "https://huggingface.co",
  ARXIV_BASE_URL: "https://export.arxiv.org/api/query",
  PAPERBOY_VOTE_EMOJI: "+1=up,fire=up,-1=down,bookmark=save",
  PAPERBOY_SEARCH_INDEX: "memory",
  PAPERBOY_INDEX_DIR: "./data/search-index",
  PAPERBOY_RECAP_DAY: "monday",
  ARXIV_HTML_BASE_URL: "https://arxiv.org/html",
  PAPER_TEXT_TIMEOUT_MS: "5000",
  LLM_BASE_URL: "https://api.openai.com/v1",
  LLM_API_KEY: "sk-...your-key",
  LLM_MODEL: "gpt-4o-mini",
  LLM_TIMEOUT_MS: "20000",
  LLM_MAX_TOKENS: "400",
  EMBEDDINGS_URL: "http://localhost:11434/v1",
  EMBEDDINGS_MODEL: "nomic-embed-text",
  EMBEDDINGS_API_KEY: "sk-...your-key",
  EMBEDDINGS_TIMEOUT_MS: "1500",
};

/** Variables whose values are never printed or logged, even in an error. */
export const SECRET_KEYS = [
  "DATABASE_URL",
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_APP_TOKEN",
  "DISCORD_TOKEN",
  "LLM_API_KEY",
  "EMBEDDINGS_API_KEY",
];

const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;
const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());
const optionalUrl = z.preprocess(blankToUndefined, z.url({ message: "must be a URL" }).optional());
const list = z.preprocess(
  (value) => (typeof value === "string" ? value.split(/[\s,]+/).filter(Boolean) : []),
  z.array(z.string()),
);

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const schema = z
  .object({
    DATABASE_URL: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, { message: "must be a postgres:// or postgresql:// URL" })
        .optional(),
    ),
    /** Connections each process may open to DATABASE_URL (postgres.js `max`); replicas × this ≤ the server's. */
    DATABASE_POOL_MAX: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100).default(10)),
    PAPERBOY_DATA_DIR: z.preprocess(blankToUndefined, z.string().default("./data")),
    LOG_LEVEL: z.preprocess(
      blankToUndefined,
      z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    ),
    LOG_FORMAT: z.preprocess(blankToUndefined, z.enum(["json", "pretty"]).optional()),
    PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(65535).default(3000)),
    SLACK_BOT_TOKEN: z.preprocess(
      blankToUndefined,
      z.string().startsWith("xoxb-", { message: "must be a bot token starting with xoxb-" }).optional(),
    ),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: z.preprocess(
      blankToUndefined,
      z
        .string()
        .startsWith("xapp-", { message: "must be an app-level token starting with xapp-" })
        .optional(),
    ),
    SLACK_API_URL: optionalUrl,
    DISCORD_TOKEN: optionalString,
    DISCORD_APPLICATION_ID: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^\d{15,21}$/, { message: "must be the numeric application id" })
        .optional(),
    ),
    DISCORD_API_URL: optionalUrl,
    PAPERBOY_ADMINS: list,
    PAPERBOY_TIMEZONE: z.preprocess(
      blankToUndefined,
      z.string().refine(isTimeZone, { message: "must be an IANA time zone" }).default("UTC"),
    ),
    PAPERBOY_DIGEST_TIME: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "must be a time of day as HH:MM" })
        .default("09:00"),
    ),
    PAPERBOY_SOURCES: z.preprocess(
      (value) => (typeof value === "string" && value.trim() ? value : "huggingface"),
      list.pipe(z.array(z.enum(["huggingface", "arxiv"], { message: "sources are huggingface and arxiv" }))),
    ),
    ARXIV_CATEGORIES: z.preprocess(blankToUndefined, z.string().default("cs.LG cs.CL cs.CV cs.AI")),
    HF_BASE_URL: z.preprocess(
      blankToUndefined,
      z.url({ message: "must be a URL" }).default("https://huggingface.co"),
    ),
    ARXIV_BASE_URL: z.preprocess(
      blankToUndefined,
      z.url({ message: "must be a URL" }).default("https://export.arxiv.org/api/query"),
    ),
    PAPERBOY_VOTE_EMOJI: optionalString,
    /** memory: the in-process search index (the database's search while it loads); off: the database only. */
    PAPERBOY_SEARCH_INDEX: z.preprocess(
      blankToUndefined,
      z.enum(["memory", "off"], { message: "must be memory or off" }).default("memory"),
    ),
    /** Where the search index keeps its snapshot. Default: PAPERBOY_DATA_DIR/search-index */
    PAPERBOY_INDEX_DIR: optionalString,
    /** The weekly recap's day (ISO weekday, 1 = Monday), or null for "off". */
    PAPERBOY_RECAP_DAY: z.preprocess(
      (value) => (typeof value === "string" && value.trim() ? value.trim().toLowerCase() : "monday"),
      z
        .enum([...WEEKDAYS, "off"], { message: "must be a day of the week (monday…sunday) or off" })
        .transform((day) => (day === "off" ? null : WEEKDAYS.indexOf(day) + 1)),
    ),
    ARXIV_HTML_BASE_URL: z.preprocess(
      blankToUndefined,
      z.url({ message: "must be a URL" }).default("https://arxiv.org/html"),
    ),
    PAPER_TEXT_TIMEOUT_MS: z.preprocess(
      blankToUndefined,
      z.coerce.number().int().min(100).max(60_000).default(5000),
    ),
    LLM_BASE_URL: optionalUrl,
    LLM_API_KEY: optionalString,
    LLM_MODEL: optionalString,
    LLM_TIMEOUT_MS: z.preprocess(
      blankToUndefined,
      z.coerce.number().int().min(500).max(300_000).default(20_000),
    ),
    LLM_MAX_TOKENS: z.preprocess(blankToUndefined, z.coerce.number().int().min(16).max(8192).default(400)),
    EMBEDDINGS_URL: optionalUrl,
    EMBEDDINGS_MODEL: optionalString,
    EMBEDDINGS_API_KEY: optionalString,
    // Short: a search waits for it, and Slack and Discord give the whole answer 3 s.
    EMBEDDINGS_TIMEOUT_MS: z.preprocess(
      blankToUndefined,
      z.coerce.number().int().min(100).max(10_000).default(1500),
    ),
  })
  .superRefine(
    (env, ctx) => {
      if (env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
        ctx.addIssue({
          code: "custom",
          path: ["SLACK_SIGNING_SECRET"],
          message:
            "is required with SLACK_BOT_TOKEN in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode); find it under Basic Information > App Credentials",
        });
      }
      if (env.LLM_BASE_URL && !env.LLM_MODEL) {
        ctx.addIssue({
          code: "custom",
          path: ["LLM_MODEL"],
          message: "is required with LLM_BASE_URL (the model's name)",
        });
      }
      if ((env.LLM_MODEL || env.LLM_API_KEY) && !env.LLM_BASE_URL) {
        ctx.addIssue({
          code: "custom",
          path: ["LLM_BASE_URL"],
          message: "is required with LLM_MODEL or LLM_API_KEY (an OpenAI-compatible endpoint, up to /v1)",
        });
      }
      if (Boolean(env.EMBEDDINGS_URL) !== Boolean(env.EMBEDDINGS_MODEL)) {
        ctx.addIssue({
          code: "custom",
          path: [env.EMBEDDINGS_URL ? "EMBEDDINGS_MODEL" : "EMBEDDINGS_URL"],
          message: env.EMBEDDINGS_URL
            ? "is required with EMBEDDINGS_URL (the embedding model's name)"
            : "is required with EMBEDDINGS_MODEL (an OpenAI-compatible endpoint, up to /v1)",
        });
      }
      if ((env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET) && !env.SLACK_BOT_TOKEN) {
        ctx.addIssue({
          code: "custom",
          path: ["SLACK_BOT_TOKEN"],
          message:
            "is required when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set (OAuth & Permissions > Bot User OAuth Token)",
        });
      }
      // Run even when a field failed above: every problem is reported in one go, not one per attempt.
    },
    { when: () => true },
  );

export type Config = z.infer<typeof schema>;

/** Parses the environment once; every problem is reported together, never a value of a secret. */
export function parseConfig(env: NodeJS.ProcessEnv): Result<Config> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return ok(parsed.data);
  const lines = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? "environment");
    const example = EXAMPLES[key];
    return `  - ${key}: ${issue.message}${example ? ` (example: ${key}=${example})` : ""}`;
  });
  return fail(
    `paperboy's configuration has ${lines.length} problem(s):\n${lines.join("\n")}\nSee .env.example for every variable.`,
  );
}

/** Which chat platforms this configuration connects to. */
export function platformsOf(config: Config): { slack: boolean; discord: boolean } {
  return { slack: Boolean(config.SLACK_BOT_TOKEN), discord: Boolean(config.DISCORD_TOKEN) };
}
