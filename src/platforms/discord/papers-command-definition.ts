import { PermissionFlagsBits, SlashCommandBuilder } from "discord.js";

/**
 * `/papers` as Discord sees it: one command with typed subcommands. Discord sets permissions per
 * command, not per subcommand, so /papers stays open to everyone and subscribe/unsubscribe check
 * Manage Channels when they run.
 */
export const papersCommandDefinition = new SlashCommandBuilder()
  .setName("papers")
  .setDescription("Trending research papers: search, leaderboards, the daily digest")
  .setDMPermission(false)
  .addSubcommand((s) =>
    s
      .setName("search")
      .setDescription("Find papers on a topic")
      .addStringOption((o) =>
        o
          .setName("topic")
          .setDescription("e.g. kv cache compression")
          .setRequired(true)
          .setMaxLength(200)
          .setAutocomplete(true),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName("top")
      .setDescription("This channel's most upvoted papers")
      .addStringOption((o) =>
        o
          .setName("period")
          .setDescription("Which period")
          .addChoices(
            { name: "today", value: "day" },
            { name: "this week", value: "week" },
            { name: "this month", value: "month" },
            { name: "all time", value: "all" },
          ),
      ),
  )
  .addSubcommand((s) => s.setName("trending").setDescription("What is trending now"))
  .addSubcommand((s) =>
    s
      .setName("show")
      .setDescription("One paper in full, with related papers")
      .addStringOption((o) =>
        o
          .setName("id")
          .setDescription("arXiv id or URL, e.g. 2401.12345")
          .setRequired(true)
          .setMaxLength(200),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName("subscribe")
      .setDescription("A daily digest in this channel (Manage Channels)")
      .addStringOption((o) =>
        o.setName("topics").setDescription("Only papers on these, comma-separated").setMaxLength(300),
      )
      .addStringOption((o) => o.setName("at").setDescription("Time of day, e.g. 09:00").setMaxLength(8))
      .addStringOption((o) =>
        o.setName("tz").setDescription("Time zone, e.g. Europe/Berlin").setMaxLength(64),
      )
      .addIntegerOption((o) =>
        o.setName("count").setDescription("Papers a day (1-10)").setMinValue(1).setMaxValue(10),
      )
      .addIntegerOption((o) =>
        o
          .setName("min-upvotes")
          .setDescription("Only papers with at least this many HF upvotes")
          .setMinValue(0),
      )
      .addBooleanOption((o) =>
        o.setName("threads").setDescription("Start a discussion thread under each paper"),
      )
      .addBooleanOption((o) => o.setName("weekends").setDescription("Post on weekends too")),
  )
  .addSubcommand((s) =>
    s.setName("unsubscribe").setDescription("Stop this channel's digest (Manage Channels)"),
  )
  .addSubcommand((s) => s.setName("settings").setDescription("This channel's digest settings"))
  .addSubcommand((s) =>
    s.setName("saved").setDescription("Your reading list (papers you reacted to with 🔖)"),
  )
  .addSubcommand((s) => s.setName("help").setDescription("Every command"));

export const MANAGE_CHANNELS = PermissionFlagsBits.ManageChannels;
