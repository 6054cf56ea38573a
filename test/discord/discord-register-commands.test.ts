import type { APIApplicationCommand, APIApplicationCommandOption } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { papersCommandDefinition } from "../../src/platforms/discord/papers-command-definition.js";
import { DISCORD_DEFAULTS, DiscordEmulator } from "../emulators/discord.js";
import { runCli } from "./discord-bot-harness.js";

// `paperboy register-commands` against the emulator, whose validation follows Discord's documented
// limits (names, description lengths, option types and order, choices): the definition is accepted,
// and what Discord stores round-trips to the subcommands and options paperboy parses.

const { guildId, applicationId } = DISCORD_DEFAULTS;

let emulator: DiscordEmulator;

beforeAll(async () => {
  emulator = new DiscordEmulator();
  await emulator.start();
});

afterAll(async () => {
  await emulator?.stop();
});

/** No database: register-commands runs without one. */
const registerCommands = (args: string[], env: Record<string, string> = {}) =>
  runCli(["register-commands", ...args], {
    DISCORD_TOKEN: emulator.token,
    DISCORD_API_URL: emulator.apiUrl,
    LOG_LEVEL: "warn",
    ...env,
  });

/** What Discord stores for a scope, read back through the API as a client would. */
async function stored(path: string): Promise<APIApplicationCommand[]> {
  const response = await fetch(`${emulator.apiUrl}/v10${path}`, {
    headers: { authorization: `Bot ${emulator.token}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as APIApplicationCommand[];
}

/** "sub(option!, option…)" per subcommand: names, required marks and autocomplete, in order. */
function shape(options: APIApplicationCommandOption[] | undefined): string[] {
  return (options ?? []).map((sub) => {
    const inner = "options" in sub && Array.isArray(sub.options) ? sub.options : [];
    const args = inner.map(
      (o) =>
        `${o.name}:${o.type}${o.required ? "!" : ""}${"autocomplete" in o && o.autocomplete ? "~" : ""}${
          "choices" in o && o.choices ? `[${o.choices.map((c) => c.value).join("|")}]` : ""
        }`,
    );
    return `${sub.name}(${args.join(", ")})`;
  });
}

const EXPECTED = [
  "search(topic:3!~)",
  "top(period:3[day|week|month|all])",
  "trending()",
  "show(id:3!)",
  "subscribe(topics:3, at:3, tz:3, count:4, min-upvotes:4, threads:5, weekends:5)",
  "unsubscribe()",
  "settings()",
  "saved()",
  "help()",
];

describe("paperboy register-commands", () => {
  it("registers /papers in one guild, and it round-trips", async () => {
    const run = await registerCommands(["--guild", guildId]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toContain(`Registered /papers in server ${guildId}`);
    const [registration] = emulator.commandRegistrations;
    expect(registration).toMatchObject({ scope: "guild", guildId, status: 200 });
    const [command, ...others] = await stored(`/applications/${applicationId}/guilds/${guildId}/commands`);
    expect(others).toEqual([]);
    expect(command?.name).toBe("papers");
    expect(command?.description.length).toBeLessThanOrEqual(100);
    expect(command?.options?.every((o) => o.type === 1)).toBe(true);
    expect(shape(command?.options)).toEqual(EXPECTED);
    // Exactly what the definition says, nothing lost on the way.
    expect(shape(papersCommandDefinition.toJSON().options)).toEqual(EXPECTED);

    // Registering again overwrites in place: the command keeps its id.
    const again = await registerCommands(["--guild", guildId]);
    expect(again.code).toBe(0);
    const [kept] = await stored(`/applications/${applicationId}/guilds/${guildId}/commands`);
    expect(kept?.id).toBe(command?.id);
  });

  it("registers /papers globally", async () => {
    const run = await registerCommands([]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toContain("Registered /papers globally");
    expect(emulator.commandRegistrations.at(-1)).toMatchObject({ scope: "global", status: 200 });
    const [command] = await stored(`/applications/${applicationId}/commands`);
    expect(shape(command?.options)).toEqual(EXPECTED);
    // Guild-only: no DMs.
    expect((command as { dm_permission?: boolean } | undefined)?.dm_permission).toBe(false);
  });

  it("refuses a --guild that is no server id, before calling Discord", async () => {
    const before = emulator.requests.length;
    const run = await registerCommands(["--guild", "general"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--guild takes a server id (a number), not "general"');
    expect(emulator.requests).toHaveLength(before);
  });

  it("says Discord refused, and exits 1, when the token is wrong", async () => {
    const run = await registerCommands(["--guild", guildId], { DISCORD_TOKEN: "not-the-token" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("paperboy register-commands: Discord refused:");
    expect(run.stderr).toMatch(/Unauthorized/);
  });
});
