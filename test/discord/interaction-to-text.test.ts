import {
  type APIApplicationCommandInteractionDataOption,
  type ChatInputCommandInteraction,
  Client,
  CommandInteractionOptionResolver,
} from "discord.js";
import { afterAll, describe, expect, it } from "vitest";
import { parseCommand } from "../../src/core/commands/parse-command.js";
import { interactionToText, topicsText } from "../../src/platforms/discord/interaction-to-text.js";

// The wire options of a /papers interaction, read by discord.js's own option resolver, as the text
// the core parses; and what the core makes of that text.

const client = new Client({ intents: [] });
afterAll(() => client.destroy());

type Option = APIApplicationCommandInteractionDataOption;
/** discord.js builds resolvers itself (the constructor is private in its types); so do we, the same way. */
const Resolver = CommandInteractionOptionResolver as unknown as new (
  client: Client,
  options: Option[],
  resolved: object,
) => CommandInteractionOptionResolver;

function textOf(sub: string, options: Option[] = []): string {
  const data = [{ type: 1, name: sub, options }] as Option[];
  const interaction = {
    options: new Resolver(client, data, {}),
  } as unknown as ChatInputCommandInteraction;
  return interactionToText(interaction);
}

const str = (name: string, value: string) => ({ type: 3, name, value }) as Option;
const int = (name: string, value: number) => ({ type: 4, name, value }) as Option;
const bool = (name: string, value: boolean) => ({ type: 5, name, value }) as Option;

/** The subcommand and arguments the core parses out of an interaction. */
function parsed(sub: string, options: Option[] = []) {
  const result = parseCommand(textOf(sub, options));
  if (!result.ok) throw new Error(`${textOf(sub, options)}: ${result.error}`);
  return { name: result.command.name, args: result.args };
}

describe("interactionToText", () => {
  it("turns each subcommand into the core's words", () => {
    expect(textOf("search", [str("topic", "  kv cache compression ")])).toBe("search kv cache compression");
    expect(textOf("top", [str("period", "week")])).toBe("top week");
    expect(textOf("top")).toBe("top ");
    expect(textOf("show", [str("id", "2401.12345")])).toBe("show 2401.12345");
    for (const sub of ["trending", "unsubscribe", "settings", "saved", "help"]) expect(textOf(sub)).toBe(sub);
  });

  it("keeps a topic that names a subcommand a search", () => {
    expect(parsed("search", [str("topic", "subscribe")])).toEqual({
      name: "search",
      args: { query: "subscribe" },
    });
    expect(parsed("search", [str("topic", "/papers unsubscribe")]).name).toBe("search");
  });

  it("passes every subscribe option through typed", () => {
    expect(
      parsed("subscribe", [
        str("topics", "llm inference, diffusion"),
        str("at", "8:30"),
        str("tz", "Europe/Berlin"),
        int("count", 7),
        int("min-upvotes", 10),
        bool("threads", false),
        bool("weekends", true),
      ]),
    ).toEqual({
      name: "subscribe",
      args: {
        topics: ["llm inference", "diffusion"],
        digestTime: "08:30",
        timezone: "Europe/Berlin",
        paperCount: 7,
        minUpvotes: 10,
        threads: false,
        weekdaysOnly: false,
      },
    });
  });

  it("keeps one topic's words one topic", () => {
    expect(parsed("subscribe", [str("topics", "mixture of experts")]).args).toEqual({
      topics: ["mixture of experts"],
    });
  });

  it("never reads words inside the topics option as subscribe options", () => {
    expect(parsed("subscribe", [str("topics", "attention at scale, threads, count data")]).args).toEqual({
      topics: ["attention at scale", "threads", "count data"],
    });
    // Typed options elsewhere still count, and a topic cannot override them.
    expect(
      parsed("subscribe", [str("topics", "llm, tz America/New_York, above 5"), str("tz", "Europe/Berlin")])
        .args,
    ).toEqual({
      topics: ["llm", "tz AmericaNewYork", "above 5"],
      timezone: "Europe/Berlin",
    });
  });

  it("takes a time or a zone as one word", () => {
    expect(parsed("subscribe", [str("at", "9 am")]).args).toEqual({ digestTime: "09:00" });
    expect(parseCommand(textOf("subscribe", [str("at", "21:00 count 10")])).ok).toBe(false);
  });
});

describe("topicsText", () => {
  it("marks option words and keeps a single topic whole", () => {
    expect(topicsText("kv cache")).toBe("kv cache,");
    expect(topicsText("threads at scale, count")).toBe("threads. at. scale, count.");
    expect(topicsText("  ")).toBe(",");
  });
});
