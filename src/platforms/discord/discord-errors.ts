import { DiscordAPIError } from "discord.js";
import { PlatformError } from "../../core/chat-platform.js";

/** Discord error codes retrying cannot fix, with what an admin should do. */
const PERMANENT: Record<number, string> = {
  10003: "the channel no longer exists",
  10004: "the bot is no longer in this server: invite it again",
  50001: "the bot cannot see this channel: give it View Channel there",
  50008: "this is not a text channel: subscribe a text channel instead",
  50013:
    "the bot lacks a permission in this channel: give it View Channel, Send Messages, Embed Links, Create Public Threads, Send Messages in Threads and Attach Files there",
  50035: "Discord refused the message's form",
};

export function toPlatformError(error: unknown, action: string): PlatformError {
  if (error instanceof DiscordAPIError && typeof error.code === "number") {
    const advice = PERMANENT[error.code];
    return new PlatformError(
      `Discord refused to ${action} (${error.code} ${error.message})${advice ? `: ${advice}` : ""}`,
      Boolean(advice),
      String(error.code),
    );
  }
  return new PlatformError(`Discord: could not ${action}: ${(error as Error).message}`, false);
}
