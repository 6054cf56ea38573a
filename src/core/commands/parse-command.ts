import { wellFormed } from "../well-formed.js";
import type { AnyCommand } from "./command.js";
import { helpCommand } from "./help.js";
import { savedCommand } from "./saved.js";
import { searchCommand } from "./search.js";
import { settingsCommand } from "./settings.js";
import { showCommand } from "./show.js";
import { subscribeCommand } from "./subscribe.js";
import { topCommand } from "./top.js";
import { trendingCommand } from "./trending.js";
import { unsubscribeCommand } from "./unsubscribe.js";

/** Longest accepted command text; anything past it is cut, never processed. */
export const MAX_COMMAND_LENGTH = 1000;

export const COMMANDS: AnyCommand[] = [
  searchCommand,
  topCommand,
  trendingCommand,
  showCommand,
  subscribeCommand,
  unsubscribeCommand,
  settingsCommand,
  savedCommand,
];
const help = helpCommand(() => [...COMMANDS, help]);
const BY_NAME = new Map<string, AnyCommand>([...COMMANDS, help].map((c) => [c.name, c]));

export type ParsedCommand =
  | { ok: true; command: AnyCommand; args: unknown }
  | { ok: false; command: AnyCommand; error: string };

/**
 * `/papers <text>` -> a subcommand and its arguments. A first word that is no subcommand makes the
 * whole text a search, so "/papers compression" just works. Never throws, whatever the text.
 */
export function parseCommand(input: string): ParsedCommand {
  // Half an emoji (a cut one, or a bad escape) would reach the database and the reply as invalid text.
  const text = wellFormed(input.slice(0, MAX_COMMAND_LENGTH))
    // Control and bidirectional-override characters carry no meaning in a command.
    .replace(/[\p{Cc}\p{Cf}]/gu, " ")
    .replace(/^\s*\/?papers\b/i, "")
    .trim();
  if (!text) return { ok: true, command: help, args: {} };
  const [first = "", ...rest] = text.split(/\s+/);
  const named = BY_NAME.get(first.toLowerCase().replace(/^-+/, ""));
  const command = named ?? searchCommand;
  const argText = named ? rest.join(" ") : text;
  const parsed = command.parse(argText);
  return parsed.ok ? { ok: true, command, args: parsed.value } : { ok: false, command, error: parsed.error };
}

/** Whether a command text asks for an admin-only subcommand, so adapters look up roles only then. */
export function needsAdmin(input: string): boolean {
  return parseCommand(input).command.adminOnly === true;
}
