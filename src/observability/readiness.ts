import type { ChatPlatform } from "../core/chat-platform.js";

export interface Readiness {
  ready: boolean;
  database: "up" | "down";
  /** Each joined platform by name: whether its connection is up. */
  platforms: Record<string, "connected" | "not connected">;
  /** What is not ready, in words, for whoever reads the probe's answer. */
  problems: string[];
}

/** How long the database gets to answer `select 1`: a probe must not hang on a dead connection. */
export const DATABASE_TIMEOUT_MS = 1_000;

/** Ready when the database answers in time and every joined platform is connected. */
export async function checkReadiness(
  db: { ping(): Promise<boolean> },
  platforms: readonly Pick<ChatPlatform, "name" | "connected">[],
  timeoutMs = DATABASE_TIMEOUT_MS,
): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((done) => {
    timer = setTimeout(() => done("late"), timeoutMs);
  });
  const answer = await Promise.race([db.ping().catch(() => false), late]);
  clearTimeout(timer);
  const problems: string[] = [];
  if (answer === "late") problems.push(`database: no answer to select 1 within ${timeoutMs} ms`);
  else if (!answer) problems.push("database: select 1 failed (is the database running and reachable?)");
  const states: Readiness["platforms"] = {};
  for (const platform of platforms) {
    const up = platform.connected();
    states[platform.name] = up ? "connected" : "not connected";
    if (!up) problems.push(`${platform.name}: not connected`);
  }
  return {
    ready: problems.length === 0,
    database: answer === true ? "up" : "down",
    platforms: states,
    problems,
  };
}
