import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LlmEmulator } from "../emulators/llm.js";
import { freePort } from "../helpers/bot-process.js";
import { PaperboyProcess, paperboyEnv } from "../helpers/paperboy-process.js";

describe("SIGTERM while a question waits on the language model", { timeout: 120_000 }, () => {
  const llm = new LlmEmulator();
  let dataDir = "";
  beforeAll(async () => {
    await llm.start();
    dataDir = await mkdtemp(join(tmpdir(), "paperboy-llm-"));
  });
  afterAll(async () => {
    await llm.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("aborts the request and exits 0 instead of waiting out the 10 s deadline", async () => {
    // Slower than both the answer's timeout (20 s) and the shutdown's deadline (10 s).
    llm.mode = "slow";
    llm.slowMs = 60_000;
    const bot = new PaperboyProcess(
      ["start"],
      paperboyEnv(dataDir, await freePort(), { LLM_BASE_URL: llm.baseUrl, LLM_MODEL: "toy-chat" }),
    );
    await bot.waitForOutput(/📰 Today's papers[\s\S]*react <n> <emoji>/);
    bot.child.stdin.write("ask 1 what is the main result?\n");
    await expect.poll(() => llm.requests.length, { timeout: 30_000 }).toBe(1);
    bot.child.kill("SIGTERM");
    const ended = await bot.finished();
    expect(ended.signal).toBeNull();
    // 1 would be the deadline's forced exit: the open request kept the process alive.
    expect(ended.code, ended.stderr).toBe(0);
  });
});
