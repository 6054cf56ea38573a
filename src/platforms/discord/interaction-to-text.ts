import type { ChatInputCommandInteraction } from "discord.js";
import { SUBSCRIBE_OPTION_WORDS } from "../../core/commands/subscribe-options.js";

/**
 * A topics option as subscribe text that stays topics: an option word inside it ("attention at
 * scale", "threads") gets a trailing dot, which the core drops from topics but which stops it being
 * read as an option; and one topic gets a comma, so its words stay one topic.
 */
export function topicsText(topics: string): string {
  const words = topics
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => (SUBSCRIBE_OPTION_WORDS.has(word.toLowerCase()) ? `${word}.` : word));
  const text = words.join(" ");
  return text.includes(",") ? text : `${text},`;
}

/**
 * A Discord slash command as the text of the core's `/papers` command, so both platforms share one
 * parser. Option values are kept out of the way: a topic can never become a subcommand, nor a
 * subscribe option; a time or zone is one word.
 */
export function interactionToText(interaction: ChatInputCommandInteraction): string {
  const sub = interaction.options.getSubcommand(false) ?? "help";
  const str = (name: string) => interaction.options.getString(name)?.trim() ?? "";
  const word = (name: string) => str(name).replace(/\s+/g, "");
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
      if (str("topics")) parts.push(topicsText(str("topics")));
      if (word("at")) parts.push(`at ${word("at")}`);
      if (word("tz")) parts.push(`tz ${word("tz")}`);
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
