import type { DigestSettings } from "../channel.js";
import { fail, ok, type Result } from "../result.js";
import { sliceWhole } from "../well-formed.js";

export type SubscribeOptions = Partial<DigestSettings>;

const ON_OFF: Record<string, boolean> = {
  on: true,
  yes: true,
  true: true,
  off: false,
  no: false,
  false: false,
};

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone.includes("/") || zone === "UTC";
  } catch {
    return false;
  }
}

/** "9", "9am", "9:30", "09:30", "21:05", "9.30pm" -> "HH:MM". */
export function parseTimeOfDay(text: string): string | null {
  const match = /^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?$/i.exec(text.trim());
  if (!match) return null;
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? 0);
  const meridiem = match[3]?.toLowerCase();
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === "pm" ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return null;
  return `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
}

/**
 * `subscribe` options: topics are the words that are not an option
 * ("llm inference, diffusion at 8:30 tz Europe/Berlin count 7 threads off").
 */
/** The words `subscribe` reads as options ("at 9:00", "count 3"…) wherever they stand; the rest are topics. */
export const SUBSCRIBE_OPTION_WORDS: ReadonlySet<string> = new Set([
  "at",
  "tz",
  "timezone",
  "count",
  "min-upvotes",
  "upvotes",
  "above",
  "threads",
  "weekends",
]);

export function parseSubscribeOptions(text: string): Result<SubscribeOptions> {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const options: SubscribeOptions = {};
  const topicWords: string[] = [];
  const number = (
    value: string | undefined,
    name: string,
    min: number,
    max: number,
    whole = true,
  ): Result<number> => {
    const n = Number(value);
    return value !== undefined && (whole ? Number.isInteger(n) : Number.isFinite(n)) && n >= min && n <= max
      ? ok(n)
      : fail(
          `${name} takes a ${whole ? "whole " : ""}number from ${min} to ${max}${value ? `, not "${value.slice(0, 20)}"` : ""}`,
        );
  };
  for (let i = 0; i < words.length; i++) {
    const word = (words[i] as string).toLowerCase();
    const value = words[i + 1];
    switch (word) {
      case "at": {
        // "at 9 pm": the meridiem may come as a word of its own.
        const meridiem = /^(am|pm)$/i.test(words[i + 2] ?? "") ? (words[i + 2] as string) : "";
        const time = value ? parseTimeOfDay(`${value}${meridiem}`) : null;
        if (meridiem && time) i++;
        if (!time)
          return fail(
            `"at" takes a time of day like 09:00 or 8:30am${value ? `, not "${value.slice(0, 20)}"` : ""}`,
          );
        options.digestTime = time;
        i++;
        break;
      }
      case "tz":
      case "timezone": {
        if (!value || !isTimeZone(value)) {
          return fail(
            `"tz" takes an IANA time zone like Europe/Berlin or America/New_York${value ? `, not "${value.slice(0, 40)}"` : ""}`,
          );
        }
        options.timezone = value;
        i++;
        break;
      }
      case "count": {
        const n = number(value, "count", 1, 10);
        if (!n.ok) return n;
        options.paperCount = n.value;
        i++;
        break;
      }
      case "min-upvotes":
      case "upvotes": {
        const n = number(value, "min-upvotes", 0, 100_000);
        if (!n.ok) return n;
        options.minUpvotes = n.value;
        i++;
        break;
      }
      case "above": {
        const n = number(value, "above (a trending score)", 0, 1_000, false);
        if (!n.ok) return n;
        options.minScore = n.value;
        i++;
        break;
      }
      case "threads":
      case "weekends": {
        const flag = value ? ON_OFF[value.toLowerCase()] : undefined;
        if (flag === undefined) return fail(`"${word}" takes on or off`);
        if (word === "threads") options.threads = flag;
        else options.weekdaysOnly = !flag;
        i++;
        break;
      }
      default:
        topicWords.push(words[i] as string);
    }
  }
  const topicText = topicWords.join(" ");
  const topics = (topicText.includes(",") ? topicText.split(",") : topicWords)
    .map((t) =>
      // A cut through a surrogate pair would store half a character.
      sliceWhole(t.replace(/[^\p{L}\p{N}\s+-]/gu, "").trim(), 60).trim(),
    )
    .filter(Boolean);
  if (topics.length > 10) return fail("at most 10 topics, please");
  if (topics.length > 0) options.topics = topics;
  return ok(options);
}
