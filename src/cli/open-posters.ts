import type { ChatPlatform, DigestPoster } from "../core/chat-platform.js";
import { platforms } from "../platforms/registry.js";
import { COLOR, PLAIN } from "../platforms/terminal/render-text.js";
import { TerminalPlatform } from "../platforms/terminal/terminal-platform.js";
import type { Runtime } from "../runtime.js";

/** Posters of the configured platforms, without listening for events: enough to post a digest. */
export async function openPosters(
  runtime: Runtime,
): Promise<{ posters: Map<string, DigestPoster>; close(): Promise<void> }> {
  const opened: ChatPlatform[] = [];
  for (const entry of platforms) if (entry.enabled(runtime)) opened.push(await entry.create(runtime));
  const posters = new Map<string, DigestPoster>(opened.map((p) => [p.name, p.poster]));
  if (opened.length === 0) {
    const terminal = new TerminalPlatform({
      core: runtime.core,
      input: process.stdin,
      output: process.stdout,
      style: process.stdout.isTTY ? COLOR : PLAIN,
      onEnd: () => {},
    });
    posters.set("terminal", terminal.poster);
  }
  return {
    posters,
    close: async () => {
      for (const platform of opened) await platform.stop().catch(() => {});
    },
  };
}
