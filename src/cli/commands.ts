import type { CliCommand } from "./cli-command.js";
import { digestCommand } from "./digest-command.js";
import { doctorCommand } from "./doctor-command.js";
import { ingestCommand } from "./ingest-command.js";
import { migrateCommand } from "./migrate-command.js";
import { registerCommandsCommand } from "./register-commands-command.js";
import { searchCommand } from "./search-command.js";
import { startCommand } from "./start-command.js";
import { topCommand } from "./top-command.js";

export type { CliCommand };

export const COMMANDS: CliCommand[] = [
  startCommand,
  ingestCommand,
  searchCommand,
  topCommand,
  digestCommand,
  migrateCommand,
  doctorCommand,
  registerCommandsCommand,
];
