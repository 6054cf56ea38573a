import { randomBytes } from "node:crypto";

/** Discord's epoch (2015-01-01T00:00:00Z); snowflakes count milliseconds from it in their top 42 bits. */
const DISCORD_EPOCH = 1_420_070_400_000n;

let increment = 0n;

/** A fresh snowflake for "now", so ids sort by creation time the way Discord's do. */
export function snowflake(at: number = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  // Worker 1, process 0: arbitrary but fixed, like one API node handing out ids.
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

/** The shard a guild's events go to: `(guild_id >> 22) % num_shards`, per Discord's sharding formula. */
export function shardFor(guildId: string | undefined, shardCount: number): number {
  if (guildId === undefined || shardCount <= 1) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/**
 * Discord prints timestamps with microseconds and an explicit offset
 * ("2017-07-11T17:27:07.299000+00:00" in the fixtures), not JavaScript's "Z" form.
 */
export function discordTimestamp(at: number = Date.now()): string {
  return new Date(at).toISOString().replace("Z", "000+00:00");
}

/**
 * Interaction tokens in the recorded frame are base64url("interaction:<id>:<secret>") without padding,
 * so we mint them the same way.
 */
export function interactionToken(interactionId: string): string {
  return Buffer.from(`interaction:${interactionId}:${randomBytes(48).toString("base64url")}`).toString(
    "base64url",
  );
}

/** A bot-token-shaped string: base64(user id), a timestamp part and an HMAC part, dot separated. */
export function botToken(userId: string): string {
  return `${Buffer.from(userId).toString("base64url")}.GEmuLa.${randomBytes(27).toString("base64url")}`;
}

export function sessionId(): string {
  return randomBytes(16).toString("hex");
}

/** An empty bitfield. discord-api-types types flag fields as enums, and 0 is no member of them. */
export const NO_FLAGS = 0 as never;
