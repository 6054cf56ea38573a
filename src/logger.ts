import pino, { type Logger } from "pino";
import type { Config } from "./config.js";

/** Every place a secret could sit in a log line; pino replaces them before anything is written. */
const REDACT = [
  "token",
  "*.token",
  "headers.authorization",
  "*.headers.authorization",
  "config.SLACK_BOT_TOKEN",
  "config.SLACK_APP_TOKEN",
  "config.SLACK_SIGNING_SECRET",
  "config.DISCORD_TOKEN",
  "config.DATABASE_URL",
  "config.LLM_API_KEY",
];

/** JSON lines for machines; a readable format on a terminal (or with LOG_FORMAT=pretty). Logs go to stderr. */
export function createLogger(
  config: Pick<Config, "LOG_LEVEL" | "LOG_FORMAT">,
  level = config.LOG_LEVEL,
): Logger {
  const pretty = config.LOG_FORMAT ? config.LOG_FORMAT === "pretty" : process.stderr.isTTY;
  const options = { level, redact: { paths: REDACT, censor: "[redacted]" }, base: { app: "paperboy" } };
  if (pretty) {
    return pino({
      ...options,
      transport: {
        target: "pino-pretty",
        options: { destination: 2, colorize: true, ignore: "pid,hostname,app" },
      },
    });
  }
  return pino(options, pino.destination({ dest: 2, sync: false }));
}
