import { describe, expect, it } from "vitest";
import { MAX_COMMAND_LENGTH, needsAdmin, parseCommand } from "../../src/core/commands/parse-command.js";
import { parseSubscribeOptions, parseTimeOfDay } from "../../src/core/commands/subscribe-options.js";
import { analyzeQuery, MAX_QUERY_LENGTH } from "../../src/core/search/analyze-query.js";

/** The subcommand and arguments of a command text that must parse. */
function parsed(text: string): { name: string; args: unknown } {
  const result = parseCommand(text);
  if (!result.ok) throw new Error(`expected "${text}" to parse, got: ${result.error}`);
  return { name: result.command.name, args: result.args };
}

/** The error of a command text that must not parse (and the command it was meant for). */
function refused(text: string): { name: string; error: string } {
  const result = parseCommand(text);
  if (result.ok) throw new Error(`expected "${text}" to be refused, got ${JSON.stringify(result.args)}`);
  return { name: result.command.name, error: result.error };
}

describe("parseCommand: subcommands", () => {
  it.each([
    ["help", "help"],
    ["HELP", "help"],
    ["--help", "help"],
    ["trending", "trending"],
    ["settings", "settings"],
    ["saved", "saved"],
    ["unsubscribe", "unsubscribe"],
    ["Trending", "trending"],
  ])("%j is the %s command", (text, name) => {
    expect(parsed(text).name).toBe(name);
  });

  it("answers an empty command, or /papers alone, with help", () => {
    expect(parsed("").name).toBe("help");
    expect(parsed("   ").name).toBe("help");
    expect(parsed("/papers").name).toBe("help");
    expect(parsed("/papers   ").name).toBe("help");
  });

  it("strips the /papers prefix a platform may leave in the text", () => {
    expect(parsed("/papers trending").name).toBe("trending");
    expect(parsed("/papers compression")).toEqual({ name: "search", args: { query: "compression" } });
  });

  it("takes a first word that is no subcommand as the start of a search", () => {
    expect(parsed("compression")).toEqual({ name: "search", args: { query: "compression" } });
    expect(parsed("kv cache compression")).toEqual({
      name: "search",
      args: { query: "kv cache compression" },
    });
    expect(parsed("search mixture of experts")).toEqual({
      name: "search",
      args: { query: "mixture of experts" },
    });
  });

  it("marks only subscribe and unsubscribe as admin commands", () => {
    expect(needsAdmin("subscribe at 9")).toBe(true);
    expect(needsAdmin("unsubscribe")).toBe(true);
    expect(needsAdmin("subscribe at 99")).toBe(true);
    expect(needsAdmin("settings")).toBe(false);
    expect(needsAdmin("compression")).toBe(false);
    expect(needsAdmin("top week")).toBe(false);
  });
});

describe("parseCommand: top", () => {
  it.each([
    ["top", "week"],
    ["top day", "day"],
    ["top today", "day"],
    ["top week", "week"],
    ["top WEEK", "week"],
    ["top month", "month"],
    ["top all", "all"],
    ["top all time", "all"],
    ["top alltime", "all"],
    ["top ever", "all"],
  ])("%j -> %s", (text, period) => {
    expect(parsed(text)).toEqual({ name: "top", args: { period } });
  });

  it("refuses a period it doesn't know, saying which ones there are", () => {
    const { name, error } = refused("top year");
    expect(name).toBe("top");
    expect(error).toBe('"year" is not a period: use day, week, month or all');
  });

  it("refuses a number instead of quietly showing the week", () => {
    expect(refused("top 7").error).toBe('"7" is not a period: use day, week, month or all');
    expect(refused("top week!").name).toBe("top");
  });
});

describe("parseCommand: show", () => {
  it.each([
    ["show 2401.12345", "2401.12345"],
    ["show 2401.12345v2", "2401.12345"],
    ["show 2401.1234", "2401.1234"],
    ["show https://arxiv.org/abs/2401.12345", "2401.12345"],
    ["show https://arxiv.org/abs/2401.12345v3", "2401.12345"],
    ["show https://arxiv.org/pdf/2401.12345v1.pdf", "2401.12345"],
    ["show https://huggingface.co/papers/2401.12345", "2401.12345"],
    ["show <https://arxiv.org/abs/2401.12345>", "2401.12345"],
    ["show arXiv:2401.12345", "2401.12345"],
    ["show hep-th/9901001", "hep-th/9901001"],
    ["show t:0123456789abcdef", "t:0123456789abcdef"],
  ])("%j shows %s", (text, id) => {
    expect(parsed(text)).toEqual({ name: "show", args: { id } });
  });

  it.each([
    "show 12345",
    "show 2401.123456789",
    "show https://example.com/paper",
    "show t:xyz",
    "show attention is all you need",
  ])("refuses %j with an example of a good id", (text) => {
    const { name, error } = refused(text);
    expect(name).toBe("show");
    expect(error).toMatch(
      /is not an arXiv id or URL \(e\.g\. 2401\.12345 or https:\/\/arxiv\.org\/abs\/2401\.12345\)/,
    );
  });

  it("asks which paper when no id is given", () => {
    expect(refused("show").error).toBe("which paper? e.g. /papers show 2401.12345");
  });
});

describe("parseCommand: subscribe", () => {
  it("reads every option together, topics being the remaining words", () => {
    expect(
      parsed(
        "subscribe llm inference, diffusion at 8:30 tz Europe/Berlin count 7 min-upvotes 10 above 0.5 threads off weekends on",
      ),
    ).toEqual({
      name: "subscribe",
      args: {
        topics: ["llm inference", "diffusion"],
        digestTime: "08:30",
        timezone: "Europe/Berlin",
        paperCount: 7,
        minUpvotes: 10,
        minScore: 0.5,
        threads: false,
        weekdaysOnly: false,
      },
    });
  });

  it("reads plain subscribe as 'keep the defaults'", () => {
    expect(parsed("subscribe")).toEqual({ name: "subscribe", args: {} });
  });

  it("splits topics on commas when there are any, else on spaces", () => {
    expect(parseSubscribeOptions("diffusion robotics")).toEqual({
      ok: true,
      value: { topics: ["diffusion", "robotics"] },
    });
    expect(parseSubscribeOptions("kv cache, mixture of experts")).toEqual({
      ok: true,
      value: { topics: ["kv cache", "mixture of experts"] },
    });
  });

  it("reads options in any case and order", () => {
    expect(parseSubscribeOptions("Count 3 AT 7pm Weekends Off THREADS on upvotes 5")).toEqual({
      ok: true,
      value: { paperCount: 3, digestTime: "19:00", weekdaysOnly: true, threads: true, minUpvotes: 5 },
    });
  });

  it.each([
    ["at", /^"at" takes a time of day like 09:00 or 8:30am$/],
    ["at 25:00", /^"at" takes a time of day like 09:00 or 8:30am, not "25:00"$/],
    ["at noon", /not "noon"/],
    ["tz", /^"tz" takes an IANA time zone like Europe\/Berlin or America\/New_York$/],
    ["tz Mars/Olympus", /^"tz" takes an IANA time zone .*, not "Mars\/Olympus"$/],
    ["tz EST", /not "EST"/],
    ["count", /^count takes a whole number from 1 to 10$/],
    ["count 0", /^count takes a whole number from 1 to 10, not "0"$/],
    ["count 11", /not "11"/],
    ["count lots", /not "lots"/],
    ["min-upvotes -3", /^min-upvotes takes a whole number from 0 to 100000, not "-3"$/],
    ["above much", /^above \(a trending score\) takes a number from 0 to 1000, not "much"$/],
    ["threads maybe", /^"threads" takes on or off$/],
    ["weekends", /^"weekends" takes on or off$/],
    ["a b c d e f g h i j k", /^at most 10 topics, please$/],
  ])("refuses %j with a helpful message", (options, message) => {
    const { name, error } = refused(`subscribe ${options}`);
    expect(name).toBe("subscribe");
    expect(error).toMatch(message);
  });

  it("quotes at most a short piece of a bad value", () => {
    const { error } = refused(`subscribe at ${"9".repeat(500)}`);
    expect(error.length).toBeLessThan(120);
  });

  // BUG (src/core/commands/subscribe-options.ts, `case "at"`): the text is split on whitespace and
  // "at" consumes one word, so "at 9 pm" sets 09:00 and subscribes the channel to the topic "pm"
  // (parseTimeOfDay itself reads "9 pm" as 21:00). Fix: when the word after the time is am/pm, join
  // it to the time and consume it too.
  it("reads 'at 9 pm' as 21:00, with no topic 'pm'", () => {
    expect(parseSubscribeOptions("at 9 pm")).toEqual({ ok: true, value: { digestTime: "21:00" } });
  });

  // BUG (src/core/commands/subscribe-options.ts, `number()`): accepts fractions for count and
  // min-upvotes, which are smallint/integer columns; "subscribe count 2.5" then fails in the database
  // and the user only sees "Sorry, that didn't work". Fix: require Number.isInteger for those two.
  it.each(["count 2.5", "min-upvotes 2.5"])(
    "refuses a fraction where a whole number is needed: %j",
    (text) => {
      expect(parseSubscribeOptions(text).ok).toBe(false);
    },
  );
});

describe("parseTimeOfDay", () => {
  it.each([
    ["9", "09:00"],
    ["9am", "09:00"],
    ["9 am", "09:00"],
    ["9AM", "09:00"],
    ["9pm", "21:00"],
    ["9:30", "09:30"],
    ["09:30", "09:30"],
    ["9.30pm", "21:30"],
    ["9h30", "09:30"],
    ["21:05", "21:05"],
    ["0:00", "00:00"],
    ["12am", "00:00"],
    ["12pm", "12:00"],
    ["23:59", "23:59"],
  ])("%j -> %s", (text, time) => {
    expect(parseTimeOfDay(text)).toBe(time);
  });

  it.each(["", "noon", "24:00", "9:60", "13pm", "0am", "9:5", "9:305", "-1", "9 30"])(
    "%j is no time",
    (text) => {
      expect(parseTimeOfDay(text)).toBeNull();
    },
  );
});

describe("parseCommand never throws, whatever the text", () => {
  const junk = [
    "x".repeat(10_240),
    "compression ".repeat(1000),
    "\u0000\u0001\u0007\u001b[31mred\u001b[0m\u007f",
    "\u202Eevil\u202C \u200F\u200Ertl marks\u2066",
    "👍🔥🚀❤️⬆️ 👨‍👩‍👧 🏳️‍🌈",
    "\"quoted\" 'single' `back` “curly” «guillemets»",
    "a & !b | c:*",
    "'; drop table papers; --",
    "<-> !!! ((( ))) :* & | \\",
    "subscribe a & !b | c:*",
    "subscribe '; drop table channels; --",
    "show '; drop table papers; --",
    "top '; drop table votes; --",
    "\ud800 lone surrogate \udfff",
    "search",
    "/papers /papers /papers",
    "\n\n\t\r",
  ];

  it.each(junk.map((text) => [text.slice(0, 40), text]))("%j", (_label, text) => {
    expect(() => parseCommand(text)).not.toThrow();
    const result = parseCommand(text);
    expect(typeof result.command.name).toBe("string");
    if (result.ok && result.command.name === "search") {
      const { query } = result.args as { query: string };
      expect(query.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
      expect(query).not.toMatch(/[\p{Cc}\p{Cf}]/u);
    }
    if (!result.ok) expect(result.error.length).toBeLessThan(300);
  });

  it("reads no further than the longest accepted command", () => {
    const long = `subscribe ${"a".repeat(MAX_COMMAND_LENGTH)} count 99`;
    // "count 99" lies past the cut, so it is never seen (and never refused).
    expect(parseCommand(long).ok).toBe(true);
  });

  it("turns control and bidi characters into spaces, not into glued words", () => {
    expect(parsed("kv\u0000cache\u202Ecompression")).toEqual({
      name: "search",
      args: { query: "kv cache compression" },
    });
  });

  it("keeps only letters, digits, spaces, + and - in subscribed topics", () => {
    const { args } = parsed("subscribe a & !b | c:*, '; drop table channels; --");
    const topics = (args as { topics?: string[] }).topics ?? [];
    expect(topics.length).toBeGreaterThan(0);
    for (const topic of topics) expect(topic).toMatch(/^[\p{L}\p{N} +-]+$/u);
  });
});

describe("analyzeQuery", () => {
  const typed = (text: string) => analyzeQuery(text).concepts.map((c) => c.typed);
  const alternativesOf = (text: string, concept: string) =>
    analyzeQuery(text).concepts.find((c) => c.typed === concept)?.alternatives ?? [];

  it("drops stop words and the filler of a question", () => {
    expect(typed("papers about making LLM inference faster")).toEqual(["llm", "inference", "faster"]);
    expect(analyzeQuery("papers about making LLM inference faster?").text).toBe("llm inference faster");
    expect(typed("what's new on diffusion?")).toEqual(["diffusion"]);
    expect(typed("anything recent about the information bottleneck")).toEqual(["information", "bottleneck"]);
  });

  it("expands acronyms and their spelled-out forms both ways", () => {
    expect(alternativesOf("LLM inference", "llm")).toEqual(
      expect.arrayContaining(["llm", "llms", "large language model", "large language models"]),
    );
    expect(alternativesOf("MoE", "moe")).toEqual(expect.arrayContaining(["moe", "mixture of experts"]));
    expect(typed("mixture-of-experts inference")).toEqual(["mixture of experts", "inference"]);
    expect(alternativesOf("mixture of experts", "mixture of experts")).toContain("moe");
  });

  it("folds hyphens, so KV-cache is the 'kv cache' concept", () => {
    expect(typed("KV-cache")).toEqual(["kv cache"]);
    expect(alternativesOf("KV-cache compression", "kv cache")).toEqual(
      expect.arrayContaining(["kv cache", "key value cache"]),
    );
    expect(typed("KV-cache compression")).toEqual(["kv cache", "compression"]);
    expect(alternativesOf("compression", "compression")).toEqual(
      expect.arrayContaining(["compressed", "compress"]),
    );
  });

  it("counts a concept once however often it is typed", () => {
    expect(typed("compression compression COMPRESSION")).toEqual(["compression"]);
  });

  it("leaves nothing of query-language operators or SQL", () => {
    expect(analyzeQuery("a & !b | c:*")).toEqual({ text: "", concepts: [] });
    expect(typed("'; drop table papers; --")).toEqual(["drop", "table"]);
    expect(analyzeQuery("the of and what about").concepts).toEqual([]);
    for (const text of ["a & !b | c:*", "'; drop table papers; --", "x <-> y:* & !z"]) {
      expect(analyzeQuery(text).text).toMatch(/^[\p{L}\p{N} ]*$/u);
    }
  });

  it("stays small on a huge input", () => {
    const result = analyzeQuery(Array.from({ length: 5000 }, (_, i) => `word${i}`).join(" "));
    expect(result.concepts.length).toBeLessThanOrEqual(12);
    expect(result.text.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
  });
});
