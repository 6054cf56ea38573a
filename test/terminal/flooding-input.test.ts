import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../helpers/bot-process.js";
import { PaperboyProcess, paperboyEnv } from "../helpers/paperboy-process.js";

describe("the terminal channel under a pipe that never sends a newline", { timeout: 120_000 }, () => {
  let dataDir = "";
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("keeps answering, and exits 0 on SIGTERM while the pipe still pours in", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "paperboy-flood-"));
    const bot = new PaperboyProcess(["start"], paperboyEnv(dataDir, await freePort()));
    await bot.waitForOutput(/📰 Today's papers[\s\S]*react <n> <emoji>/);
    // `npm start < /dev/zero`: NUL bytes, no newline, for as long as the bot reads.
    const zeros = Buffer.alloc(64 * 1024);
    let written = 0;
    const pour = () => {
      while (bot.child.stdin.writable && bot.child.stdin.write(zeros)) written += zeros.length;
    };
    bot.child.stdin.on("drain", pour);
    bot.child.stdin.on("error", () => {});
    pour();
    // A cut line is answered like any text: the bot is alive and reading.
    await expect.poll(() => written, { timeout: 30_000 }).toBeGreaterThan(4 * 1024 * 1024);
    bot.child.kill("SIGTERM");
    const ended = await bot.finished();
    expect(ended.signal).toBeNull();
    // 1 would be the 10 s deadline: the pouring pipe kept the process from exiting.
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stderr).not.toContain("RangeError");
  });
});
