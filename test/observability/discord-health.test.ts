import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, DiscordWorkspace, freePort, SAMPLE_PAGE } from "../discord/discord-bot-harness.js";
import { answerOf, embedsOf } from "../discord/discord-checks.js";
import { DISCORD_DEFAULTS, DiscordEmulator } from "../emulators/discord.js";
import { get, readyzUntil, sample } from "./prometheus-text.js";

// A Discord-only bot has no Slack receiver listening on PORT: it serves /healthz, /readyz and
// /metrics itself. The real bot process, against the Discord emulator.

let emulator: DiscordEmulator;
let workspace: DiscordWorkspace;
let bot: BotProcess | undefined;
let port: number;
let emulatorStopped = false;

beforeAll(async () => {
  emulator = new DiscordEmulator();
  await emulator.start();
  workspace = await DiscordWorkspace.create(emulator);
  await workspace.ingest(SAMPLE_PAGE);
  port = await freePort();
  bot = await workspace.startBot({ PORT: String(port) });
  await bot.waitForLog("health server: listening");
}, 300_000);

afterAll(async () => {
  await bot?.stop();
  if (!emulatorStopped) await emulator?.stop();
  await workspace?.close();
}, 60_000);

describe(`health and metrics of a Discord bot (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("/healthz answers ok while the process is up", async () => {
    expect(await get(port, "/healthz")).toEqual({
      status: 200,
      type: "text/plain; charset=utf-8",
      body: "ok\n",
    });
    expect((await get(port, "/nowhere")).status).toBe(404);
  });

  it("/readyz is 200 with the database up and Discord connected", async () => {
    const ready = await get(port, "/readyz");
    expect(ready.status, ready.body).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({
      ready: true,
      database: "up",
      platforms: { discord: "connected" },
      problems: [],
    });
  });

  it("/metrics counts a /papers search: the event, its timing by command and outcome, the database", async () => {
    const asked = emulator.interaction(
      "papers",
      [{ type: 1, name: "search", options: [{ type: 3, name: "topic", value: "compression" }] }],
      { userId: DISCORD_DEFAULTS.member.id },
    );
    const { body } = await answerOf(emulator, asked);
    expect(embedsOf(body)[0]?.title).toBe('Papers on "compression"');
    const metrics = await get(port, "/metrics");
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const at = (series: string) => sample(metrics.body, series);
    expect(at('paperboy_command_duration_seconds_count{command="search",outcome="ok"}'), metrics.body).toBe(
      1,
    );
    expect(at('paperboy_events_received_total{platform="discord",kind="command"}')).toBe(1);
    expect(at("paperboy_database_up")).toBe(1);
    expect(at("paperboy_database_pool_max_connections")).toBe(workspace.kind === "postgres" ? 10 : 1);
    expect(metrics.body).toMatch(/^paperboy_database_query_seconds_count\{operation="[a-zA-Z.]+"\} [1-9]/m);
    expect(metrics.body).toMatch(/^paperboy_process_resident_memory_bytes [1-9]/m);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "/readyz is 503 while the database refuses connections",
    async () => {
      const name = new URL(workspace.databaseUrl as string).pathname.slice(1);
      const admin = postgres(process.env.TEST_DATABASE_URL as string, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`alter database ${name} with allow_connections false`);
        await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name}`;
        const down = await readyzUntil(port, false);
        expect(down.status).toBe(503);
        expect(down.body).toMatchObject({
          ready: false,
          database: "down",
          platforms: { discord: "connected" },
        });
        expect(String((down.body.problems as string[])[0])).toMatch(/^database: /);
        expect(sample((await get(port, "/metrics")).body, "paperboy_database_up")).toBe(0);
      } finally {
        await admin.unsafe(`alter database ${name} with allow_connections true`);
        await admin.end();
      }
      expect((await readyzUntil(port, true)).status).toBe(200);
    },
  );

  it("/readyz is 503 once Discord is gone, and /healthz still answers", async () => {
    await emulator.stop();
    emulatorStopped = true;
    const gone = await readyzUntil(port, false);
    expect(gone.status).toBe(503);
    expect(gone.body).toMatchObject({
      ready: false,
      database: "up",
      platforms: { discord: "not connected" },
      problems: ["discord: not connected"],
    });
    expect((await get(port, "/healthz")).status).toBe(200);
  });
});
