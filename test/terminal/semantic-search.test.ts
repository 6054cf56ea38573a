import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LlmEmulator } from "../emulators/llm.js";
import { freePort } from "../helpers/bot-process.js";
import { PaperboyProcess, paperboyEnv } from "../helpers/paperboy-process.js";

describe("the bot with an embeddings endpoint, on the embedded database", { timeout: 300_000 }, () => {
  const emulator = new LlmEmulator();
  let dataDir = "";
  let bot: PaperboyProcess | null = null;

  beforeAll(async () => {
    await emulator.start();
    dataDir = await mkdtemp(join(tmpdir(), "paperboy-vectors-"));
  });
  afterAll(async () => {
    if (bot && bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill("SIGKILL");
    await emulator.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("embeds the library in the background and then finds papers by meaning", async () => {
    const env = paperboyEnv(dataDir, await freePort(), {
      EMBEDDINGS_URL: emulator.baseUrl,
      EMBEDDINGS_MODEL: "toy-embed",
    });
    bot = new PaperboyProcess(["start"], env);
    await bot.waitForOutput(/📰 Today's papers[\s\S]*react <n> <emoji>/);
    // The sample's 100 papers, each embedded once, besides the probe and the searches' queries.
    const embedded = () =>
      emulator.embeddingRequests.filter((r) => r.input.length > 1 || r.input[0]?.includes("\n"));
    await expect
      .poll(() => embedded().reduce((sum, r) => sum + r.input.length, 0), { timeout: 60_000 })
      .toBe(100);

    const before = bot.stdout.length;
    bot.child.stdin.write("/papers shrink tiny\n");
    await bot.waitForOutput(/shrink tiny[\s\S]*\[5\] /);
    const titles = [...bot.stdout.slice(before).matchAll(/^\[(\d+)\] (.+)$/gm)].map((m) => m[2] as string);
    // The words "shrink" and "tiny" are in three papers (BD-KD, MCUNetV2, LeYOLO); the other two shown
    // are found by meaning: papers on compression whose text has neither word.
    expect(titles).toHaveLength(5);
    expect(titles.filter((t) => /compress/i.test(t)).length).toBeGreaterThan(0);
    expect(emulator.embeddingRequests.at(-1)?.input).toEqual(["shrink tiny"]);

    bot.child.stdin.end();
    const ended = await bot.finished();
    expect(ended.code, ended.stderr).toBe(0);
  });

  it("stops cleanly on SIGTERM while an embeddings request hangs", async () => {
    // An endpoint that takes requests and never answers: the backfill's first request waits on it.
    const requests: string[] = [];
    const silent = createServer((req) => void requests.push(req.url ?? ""));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const env = paperboyEnv(await mkdtemp(join(tmpdir(), "paperboy-vectors-")), await freePort(), {
        EMBEDDINGS_URL: `http://127.0.0.1:${port}/v1`,
        EMBEDDINGS_MODEL: "toy-embed",
      });
      bot = new PaperboyProcess(["start"], env);
      await bot.waitForOutput(/📰 Today's papers[\s\S]*react <n> <emoji>/);
      await expect.poll(() => requests.length, { timeout: 30_000 }).toBeGreaterThan(0);
      bot.child.kill("SIGTERM");
      const ended = await bot.finished();
      // Exit 1 would be the 10 s deadline, forced: the open request would have kept the process up.
      expect(ended.signal).toBeNull();
      expect(ended.code, ended.stderr).toBe(0);
      expect(requests).toEqual(["/v1/embeddings"]);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
