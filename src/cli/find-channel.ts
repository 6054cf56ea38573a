import type { Channel } from "../core/channel.js";
import type { Runtime } from "../runtime.js";

const PLATFORMS = ["slack", "discord", "terminal"];

/** A channel by the id people see on their platform (C0123…, a Discord snowflake, "terminal"). */
export async function findChannel(runtime: Runtime, ref: string): Promise<Channel | null> {
  for (const platform of PLATFORMS) {
    const channel = await runtime.store.channels.find(platform, ref);
    if (channel) return channel;
  }
  return null;
}
