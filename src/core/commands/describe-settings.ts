import { DateTime } from "luxon";
import type { Channel } from "../channel.js";

/** A channel's digest settings as people read them. */
export function describeSettings(channel: Channel, next: Date | null = channel.nextDigestAt): string[] {
  if (!channel.subscribed)
    return ["No daily digest in this channel. An admin can start one: /papers subscribe"];
  const nextLine = next
    ? DateTime.fromJSDate(next, { zone: channel.timezone }).toFormat("cccc d LLL, HH:mm ZZZZ")
    : "not scheduled";
  return [
    `When: ${channel.digestTime} ${channel.timezone}, ${channel.weekdaysOnly ? "Monday to Friday" : "every day"}`,
    `Next digest: ${nextLine}`,
    channel.minScore !== null
      ? `Papers: every paper scoring above ${channel.minScore}, at most ${channel.paperCount}`
      : `Papers: the top ${channel.paperCount}`,
    `Topics: ${channel.topics.length > 0 ? channel.topics.join(", ") : "all"}`,
    ...(channel.minUpvotes !== null ? [`Minimum HF upvotes: ${channel.minUpvotes}`] : []),
    `Discussion threads: ${channel.threads ? "on" : "off"}`,
  ];
}
