import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type BotProcess, DiscordWorkspace, SAMPLE_PAGE } from "../discord/discord-bot-harness.js";
import { answerOf, embedsOf } from "../discord/discord-checks.js";
import { DISCORD_DEFAULTS, DiscordEmulator } from "../emulators/discord.js";

// Another process already holds PORT: the bot says so, naming the port, and goes on chatting.

let emulator: DiscordEmulator;
let workspace: DiscordWorkspace;
let bot: BotProcess | undefined;
let squatter: Server;
let port: number;

beforeAll(async () => {
  squatter = createServer();
  // Every interface, as the bot listens: a loopback-only squatter might not block it.
  await new Promise<void>((done) => squatter.listen(0, done));
  port = (squatter.address() as { port: number }).port;
  emulator = new DiscordEmulator();
  await emulator.start();
  workspace = await DiscordWorkspace.create(emulator);
  await workspace.ingest(SAMPLE_PAGE);
  bot = await workspace.startBot({ PORT: String(port) });
}, 300_000);

afterAll(async () => {
  await bot?.stop();
  await emulator?.stop();
  await workspace?.close();
  await new Promise<void>((done) => squatter.close(() => done()));
}, 60_000);

it("logs an error naming PORT and keeps answering /papers", async () => {
  const running = bot as BotProcess;
  const line = await running.waitForLog(/^health server: /);
  expect(line.level).toBe(50);
  expect(line.msg).toContain(`PORT ${port} is already in use`);
  expect(line.msg).toContain("the bot keeps running");
  const asked = emulator.interaction(
    "papers",
    [{ type: 1, name: "search", options: [{ type: 3, name: "topic", value: "compression" }] }],
    { userId: DISCORD_DEFAULTS.member.id },
  );
  const { body } = await answerOf(emulator, asked);
  expect(embedsOf(body)[0]?.title).toBe('Papers on "compression"');
  expect(running.running).toBe(true);
});
