import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COMMANDS, needsAdmin, parseCommand } from "../../src/core/commands/parse-command.js";
import { parseSubscribeOptions, parseTimeOfDay } from "../../src/core/commands/subscribe-options.js";
import { MAX_QUERY_LENGTH } from "../../src/core/search/analyze-query.js";
import { anyText, hostileText, isWellFormed, NUM_RUNS } from "./hostile-text.js";

const NAMES = [...COMMANDS.map((c) => c.name), "help"];

/** A command word (any case, maybe with a leading "/papers" or dashes) before hostile arguments. */
const commandText = fc
  .tuple(
    fc.constantFrom("", "/papers ", "papers ", "  /PAPERS\t"),
    fc.constantFrom(...NAMES, ...NAMES.map((n) => n.toUpperCase()), ...NAMES.map((n) => `--${n}`)),
    fc.constantFrom(" ", "\n", "\u200b", "\u0000"),
    anyText,
  )
  .map((parts) => parts.join(""));

const subscribeWords = fc
  .array(
    fc.oneof(
      fc.constantFrom("at", "tz", "timezone", "count", "min-upvotes", "above", "threads", "weekends", ","),
      fc.constantFrom("9", "9am", "25:00", "pm", "Europe/Berlin", "Mars/Olympus", "1e309", "NaN", "-0", "on"),
      hostileText,
    ),
    { maxLength: 40 },
  )
  .map((words) => words.join(" "));

describe("parseCommand on hostile text", () => {
  it("never throws, and always names a command with arguments or a short error", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, commandText), (text) => {
        const parsed = parseCommand(text);
        expect(parsed.command).toBeDefined();
        expect(NAMES).toContain(parsed.command.name);
        if (parsed.ok) expect(parsed.args).toBeDefined();
        else {
          expect(parsed.error.length).toBeGreaterThan(0);
          expect(parsed.error.length).toBeLessThanOrEqual(300);
        }
        expect(typeof needsAdmin(text)).toBe("boolean");
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("keeps a search query within MAX_QUERY_LENGTH and free of control characters", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const parsed = parseCommand(`search ${text}`);
        expect(parsed.command.name).toBe("search");
        expect(parsed.ok).toBe(true);
        const { query } = (parsed.ok ? parsed.args : {}) as { query: string };
        expect(query.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
        expect(query).not.toMatch(/[\p{Cc}\p{Cf}]/u);
        expect(isWellFormed(query)).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("gives each subcommand's parser any text without throwing", () => {
    fc.assert(
      fc.property(fc.constantFrom(...COMMANDS), anyText, (command, text) => {
        const result = command.parse(text);
        expect(typeof result.ok).toBe("boolean");
        if (!result.ok) expect(result.error.length).toBeLessThanOrEqual(300);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("subscribe options on hostile text", () => {
  it("stores at most 10 topics of at most 60 letters, digits, spaces, + and -", () => {
    fc.assert(
      fc.property(fc.oneof(subscribeWords, anyText), (text) => {
        const result = parseSubscribeOptions(text);
        if (!result.ok) {
          expect(result.error.length).toBeLessThanOrEqual(300);
          return;
        }
        const { topics = [], digestTime, paperCount, minUpvotes, minScore } = result.value;
        expect(topics.length).toBeLessThanOrEqual(10);
        for (const topic of topics) {
          expect(topic.length).toBeGreaterThan(0);
          expect(topic.length).toBeLessThanOrEqual(60);
          expect(topic).toMatch(/^[\p{L}\p{N}\s+-]+$/u);
          expect(isWellFormed(topic)).toBe(true);
        }
        if (digestTime !== undefined) expect(digestTime).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
        if (paperCount !== undefined) expect(Number.isInteger(paperCount)).toBe(true);
        if (minUpvotes != null) expect(Number.isSafeInteger(minUpvotes)).toBe(true);
        if (minScore != null) expect(Number.isFinite(minScore)).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("reads a time of day as HH:MM or nothing", () => {
    fc.assert(
      fc.property(
        fc.oneof(hostileText, fc.stringMatching(/^\d{1,3}([:.h]\d{1,3})?\s?(am|pm|AM)?$/)),
        (text) => {
          const time = parseTimeOfDay(text);
          if (time !== null) expect(time).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
