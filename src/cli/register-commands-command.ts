import { REST, Routes } from "discord.js";
import { papersCommandDefinition } from "../platforms/discord/papers-command-definition.js";
import type { CliCommand } from "./cli-command.js";

export const registerCommandsCommand: CliCommand = {
  name: "register-commands",
  usage: "register-commands [--guild ID]",
  summary: "register /papers with Discord (globally, or in one server at once)",
  options: { guild: { type: "string" } },
  withoutRuntime: true,
  async run({ config, values }) {
    if (!config.DISCORD_TOKEN) {
      console.error(
        "paperboy register-commands: set DISCORD_TOKEN (Developer Portal > your app > Bot > Reset Token)",
      );
      return 2;
    }
    const guild = values.guild ? String(values.guild) : undefined;
    if (guild && !/^\d{15,21}$/.test(guild)) {
      console.error(`paperboy register-commands: --guild takes a server id (a number), not "${guild}"`);
      return 2;
    }
    const rest = new REST(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}).setToken(
      config.DISCORD_TOKEN,
    );
    try {
      const appId =
        config.DISCORD_APPLICATION_ID ?? ((await rest.get(Routes.currentApplication())) as { id: string }).id;
      const body = [papersCommandDefinition.toJSON()];
      const route = guild ? Routes.applicationGuildCommands(appId, guild) : Routes.applicationCommands(appId);
      const saved = (await rest.put(route, { body })) as { name: string; id: string }[];
      console.log(
        `Registered ${saved.map((c) => `/${c.name}`).join(", ")} ${guild ? `in server ${guild} (available now)` : "globally (Discord may take up to an hour to show it everywhere)"}.`,
      );
      return 0;
    } catch (error) {
      console.error(`paperboy register-commands: Discord refused: ${(error as Error).message}`);
      return 1;
    }
  },
};
