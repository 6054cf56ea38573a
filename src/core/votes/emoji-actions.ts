import { fail, ok, type Result } from "../result.js";

export type VoteAction = "up" | "down" | "save";

/** Slack's names and Discord's unicode for the same emoji, under one canonical name. */
const ALIASES: Record<string, string[]> = {
  "+1": ["+1", "thumbsup", "👍"],
  "-1": ["-1", "thumbsdown", "👎"],
  arrow_up: ["arrow_up", "⬆", "up_arrow"],
  arrow_down: ["arrow_down", "⬇", "down_arrow"],
  fire: ["fire", "🔥"],
  heart: ["heart", "❤", "♥", "hearts"],
  rocket: ["rocket", "🚀"],
  bookmark: ["bookmark", "🔖"],
};

const CANONICAL = new Map(
  Object.entries(ALIASES).flatMap(([name, forms]) => forms.map((f) => [f, name] as const)),
);

export const DEFAULT_EMOJI_ACTIONS: Record<string, VoteAction> = {
  "+1": "up",
  arrow_up: "up",
  fire: "up",
  heart: "up",
  rocket: "up",
  "-1": "down",
  arrow_down: "down",
  bookmark: "save",
};

/**
 * One name for one emoji whatever the platform wrote: skin tones ("+1::skin-tone-2", "👍🏽") and the
 * emoji variation selector dropped, aliases folded ("thumbsup" -> "+1", "👍" -> "+1").
 */
export function canonicalEmoji(raw: string): string {
  const bare = raw
    .trim()
    .replace(/^:|:$/g, "")
    .replace(/::skin-tone-\d$/, "")
    .replace(/[\u{1F3FB}-\u{1F3FF}\uFE0F]/gu, "");
  return CANONICAL.get(bare) ?? bare;
}

/**
 * The emoji map from PAPERBOY_VOTE_EMOJI ("tada=up,eyes=save,fire=none"), laid over the defaults.
 * "none" takes an emoji out.
 */
export function parseEmojiActions(spec: string | undefined): Result<Map<string, VoteAction>> {
  const map = new Map(Object.entries(DEFAULT_EMOJI_ACTIONS));
  if (!spec) return ok(map);
  for (const entry of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, action] = entry.split("=").map((s) => s.trim());
    if (!name || !action || !["up", "down", "save", "none"].includes(action)) {
      return fail(`"${entry}" is not emoji=up|down|save|none`);
    }
    if (action === "none") map.delete(canonicalEmoji(name));
    else map.set(canonicalEmoji(name), action as VoteAction);
  }
  return ok(map);
}
