import { describe, expect, it } from "vitest";
import {
  canonicalEmoji,
  DEFAULT_EMOJI_ACTIONS,
  parseEmojiActions,
  type VoteAction,
} from "../../src/core/votes/emoji-actions.js";

function actions(spec: string | undefined): Map<string, VoteAction> {
  const result = parseEmojiActions(spec);
  if (!result.ok) throw new Error(`expected "${spec}" to parse, got: ${result.error}`);
  return result.value;
}

/** What a reaction does under a map: the platform's name goes through canonicalEmoji, as in recordReaction. */
const actionOf = (map: Map<string, VoteAction>, raw: string) => map.get(canonicalEmoji(raw));

describe("canonicalEmoji", () => {
  it.each([
    "+1",
    ":+1:",
    "thumbsup",
    ":thumbsup:",
    "👍",
    "👍🏻",
    "👍🏽",
    "👍🏿",
    "+1::skin-tone-2",
    "+1::skin-tone-6",
    "thumbsup::skin-tone-3",
    " +1 ",
  ])("%j is +1", (raw) => {
    expect(canonicalEmoji(raw)).toBe("+1");
  });

  it.each([
    ["-1", "-1"],
    ["thumbsdown", "-1"],
    ["👎🏾", "-1"],
    ["-1::skin-tone-4", "-1"],
    ["fire", "fire"],
    ["🔥", "fire"],
    ["rocket", "rocket"],
    ["🚀", "rocket"],
    ["bookmark", "bookmark"],
    ["🔖", "bookmark"],
    ["arrow_up", "arrow_up"],
    ["⬆️", "arrow_up"],
    ["⬆", "arrow_up"],
    ["arrow_down", "arrow_down"],
    ["⬇️", "arrow_down"],
  ])("%j is %s", (raw, name) => {
    expect(canonicalEmoji(raw)).toBe(name);
  });

  it("reads a heart with or without the emoji variation selector as one heart", () => {
    expect("❤️").toBe("\u2764\uFE0F");
    expect(canonicalEmoji("\u2764\uFE0F")).toBe("heart");
    expect(canonicalEmoji("\u2764")).toBe("heart");
    expect(canonicalEmoji("heart")).toBe("heart");
    expect(canonicalEmoji(":heart:")).toBe("heart");
  });

  it("leaves other emoji and custom emoji as they are", () => {
    expect(canonicalEmoji("eyes")).toBe("eyes");
    expect(canonicalEmoji("👀")).toBe("👀");
    expect(canonicalEmoji("custom:123456789012345678")).toBe("custom:123456789012345678");
    expect(canonicalEmoji("partyparrot")).toBe("partyparrot");
  });
});

describe("parseEmojiActions", () => {
  it("has the documented defaults without a spec", () => {
    const map = actions(undefined);
    expect(Object.fromEntries(map)).toEqual(DEFAULT_EMOJI_ACTIONS);
    expect(actions("")).toEqual(map);
    for (const up of ["👍", "thumbsup", "🔥", "🚀", "❤️", "⬆️"]) expect(actionOf(map, up)).toBe("up");
    for (const down of ["👎", "-1", "⬇️"]) expect(actionOf(map, down)).toBe("down");
    expect(actionOf(map, "🔖")).toBe("save");
    expect(actionOf(map, "👀")).toBeUndefined();
  });

  it("lays overrides over the defaults, and 'none' takes an emoji out", () => {
    const map = actions("tada=up, eyes=save,fire=none");
    expect(actionOf(map, "tada")).toBe("up");
    expect(actionOf(map, "eyes")).toBe("save");
    expect(actionOf(map, "🔥")).toBeUndefined();
    expect(actionOf(map, "fire")).toBeUndefined();
    expect(actionOf(map, "👍")).toBe("up");
    expect(actionOf(map, "🔖")).toBe("save");
  });

  it("folds the names in a spec like the names of reactions", () => {
    const map = actions("👍=down,thumbsdown=none,❤️=save");
    expect(actionOf(map, "+1::skin-tone-2")).toBe("down");
    expect(actionOf(map, "-1")).toBeUndefined();
    expect(actionOf(map, "heart")).toBe("save");
  });

  it.each(["tada", "tada=", "=up", "tada=maybe", "tada=up,eyes"])("refuses %j, showing the form", (spec) => {
    const result = parseEmojiActions(spec);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^".*" is not emoji=up\|down\|save\|none$/);
  });

  it("names the bad entry, not the whole spec", () => {
    const result = parseEmojiActions("tada=up,eyes=sideways,fire=none");
    expect(result).toEqual({ ok: false, error: '"eyes=sideways" is not emoji=up|down|save|none' });
  });
});
