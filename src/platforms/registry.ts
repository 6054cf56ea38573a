import type { ChatPlatform } from "../core/chat-platform.js";
import type { Runtime } from "../runtime.js";

/** A chat platform paperboy can join. Adding one is a folder under src/platforms and one line below. */
export interface PlatformEntry {
  name: string;
  /** Whether the configuration asks for this platform (its token is set). */
  enabled(runtime: Runtime): boolean;
  create(runtime: Runtime): Promise<ChatPlatform>;
}

export const platforms: PlatformEntry[] = [];
