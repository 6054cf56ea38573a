import { startBot } from "../main.js";
import { type CliCommand, needRuntime } from "./cli-command.js";

export const startCommand: CliCommand = {
  name: "start",
  usage: "start",
  summary: "run the bot (Slack/Discord with tokens, else the terminal channel)",
  keepsRunning: true,
  // The terminal channel is a conversation: info logs would drown it unless asked for.
  logLevel: (config) =>
    !config.SLACK_BOT_TOKEN && !config.DISCORD_TOKEN && !process.env.LOG_LEVEL ? "error" : config.LOG_LEVEL,
  async run(context) {
    await startBot(needRuntime(context));
    return 0;
  },
};
