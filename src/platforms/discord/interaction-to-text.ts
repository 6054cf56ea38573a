import type { ChatInputCommandInteraction } from "discord.js";

/**
 * A Discord slash command as the text of the core's `/papers` command, so both platforms share one
 * parser. Option values are quoted out of the way: a topic can never become a subcommand.
 */
export function interactionToText(interaction: ChatInputCommandInteraction): string {
  const sub = interaction.options.getSubcommand(false) ?? "help";
  const str = (name: string) => interaction.options.getString(name)?.trim() ?? "";
  const int = (name: string) => interaction.options.getInteger(name);
  const bool = (name: string) => interaction.options.getBoolean(name);
  switch (sub) {
    case "search":
      return `search ${str("topic")}`;
    case "top":
      return `top ${str("period")}`;
    case "show":
      return `show ${str("id")}`;
    case "subscribe": {
      const parts = ["subscribe"];
      if (str("topics")) parts.push(str("topics").includes(",") ? str("topics") : `${str("topics")},`);
      if (str("at")) parts.push(`at ${str("at")}`);
      if (str("tz")) parts.push(`tz ${str("tz")}`);
      if (int("count") !== null) parts.push(`count ${int("count")}`);
      if (int("min-upvotes") !== null) parts.push(`min-upvotes ${int("min-upvotes")}`);
      if (bool("threads") !== null) parts.push(`threads ${bool("threads") ? "on" : "off"}`);
      if (bool("weekends") !== null) parts.push(`weekends ${bool("weekends") ? "on" : "off"}`);
      return parts.join(" ");
    }
    default:
      return sub;
  }
}
