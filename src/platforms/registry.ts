import type { ChatPlatform } from "../core/chat-platform.js";
import type { Runtime } from "../runtime.js";
import { createDiscordPlatform } from "./discord/discord-platform.js";
import { createSlackPlatform } from "./slack/slack-platform.js";

/** A chat platform paperboy can join. Adding one is a folder under src/platforms and one line below. */
export interface PlatformEntry {
  name: string;
  /** Whether the configuration asks for this platform (its token is set). */
  enabled(runtime: Runtime): boolean;
  create(runtime: Runtime): Promise<ChatPlatform>;
}

export const platforms: PlatformEntry[] = [
  { name: "slack", enabled: (r) => Boolean(r.config.SLACK_BOT_TOKEN), create: createSlackPlatform },
  { name: "discord", enabled: (r) => Boolean(r.config.DISCORD_TOKEN), create: createDiscordPlatform },
];
