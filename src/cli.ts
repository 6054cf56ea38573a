import { parseArgs } from "node:util";
import { type CliCommand, COMMANDS } from "./cli/commands.js";
import { type Config, parseConfig } from "./config.js";
import { DatabaseLockedError } from "./db/client.js";
import { createLogger } from "./logger.js";
import { openRuntime, type Runtime } from "./runtime.js";

const USAGE = `paperboy <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.usage.padEnd(62)} ${c.summary}`).join("\n")}

Configuration comes from the environment (see .env.example).`;

/** Exit codes: 0 done, 1 the command failed, 2 bad configuration or usage. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command: CliCommand | undefined = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`paperboy: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args: rest,
      options: command.options ?? {},
      allowPositionals: true,
      strict: true,
    });
    values = parsed.values as typeof values;
    positionals = parsed.positionals;
  } catch (error) {
    console.error(`paperboy ${name}: ${(error as Error).message}\nUsage: paperboy ${command.usage}`);
    return 2;
  }
  const parsed = parseConfig(process.env);
  if (!parsed.ok) {
    console.error(parsed.error);
    return 2;
  }
  const config: Config = parsed.value;
  const logger = createLogger(config, command.logLevel?.(config) ?? config.LOG_LEVEL);
  if (command.withoutRuntime) return command.run({ config, logger, values, positionals });
  let runtime: Runtime;
  try {
    runtime = await openRuntime(config, logger, name);
  } catch (error) {
    console.error(`paperboy ${name}: ${describeOpenError(error, config)}`);
    return 1;
  }
  try {
    const code = await command.run({ config, logger, values, positionals, runtime });
    if (!command.keepsRunning) await runtime.close();
    return code;
  } catch (error) {
    await runtime.close().catch(() => {});
    throw error;
  }
}

function describeOpenError(error: unknown, config: Config): string {
  if (error instanceof DatabaseLockedError) return error.message;
  const message = (error as Error).message ?? String(error);
  if (config.DATABASE_URL) {
    const url = new URL(config.DATABASE_URL);
    return `cannot use the database at ${url.hostname}:${url.port || 5432}${url.pathname}: ${message}. Is PostgreSQL running, and is DATABASE_URL right?`;
  }
  return `cannot open the embedded database in ${config.PAPERBOY_DATA_DIR}: ${message}`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`paperboy: ${(error as Error).message ?? error}`);
    process.exitCode = 1;
  },
);
