import { spawn } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";
import { processCpuMs } from "./process-cpu.js";

/** The baseline's server: a bare Node HTTP server in its own process that reads the body and answers 200. */
export async function startEchoProcess(): Promise<{ url: string; stop(): void }> {
  const child = spawn(
    process.execPath,
    [
      "-e",
      `require("node:http").createServer((q, s) => { q.resume(); q.on("end", () => s.end("")); })
        .listen(0, "127.0.0.1", function () { console.log(this.address().port); });`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const [chunk] = (await once(child.stdout, "data")) as [Buffer];
  return { url: `http://127.0.0.1:${chunk.toString().trim()}/slack/events`, stop: () => child.kill() };
}

/**
 * The ceiling Bolt itself sets: a Bolt app with the bot's receiver (HTTP, signatures checked) and a
 * reaction listener that does nothing, in its own process. What paperboy adds is the rest.
 */
export async function startBoltAloneProcess(slack: {
  signingSecret: string;
  apiUrl: string;
  botToken: string;
}): Promise<{ url: string; stop(): void; cpuMs(): number }> {
  const child = spawn(
    process.execPath,
    [
      "-e",
      `const { App } = require("@slack/bolt");
       const app = new App({ token: process.env.TOKEN, signingSecret: process.env.SECRET, convoStore: false,
         clientOptions: { slackApiUrl: process.env.API }, logLevel: "error" });
       app.event("reaction_added", async () => {});
       app.start(0).then((server) => console.log(server.address().port));`,
    ],
    {
      cwd: resolve(import.meta.dirname, ".."),
      env: { ...process.env, SECRET: slack.signingSecret, API: slack.apiUrl, TOKEN: slack.botToken },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const [chunk] = (await once(child.stdout, "data")) as [Buffer];
  return {
    url: `http://127.0.0.1:${chunk.toString().trim()}/slack/events`,
    stop: () => child.kill(),
    cpuMs: () => processCpuMs(child.pid),
  };
}
