import { afterAll, beforeAll } from "vitest";
import { LlmEmulator } from "../emulators/llm.js";

/** Words of papers about making models smaller: what the embeddings emulator's first topic is about. */
export const SHRINKING = /compress|prun|quantiz|distill|spars|compact/i;

/** A logger that keeps the messages of its warnings, for tests that check a fallback says why. */
export function warningLogger() {
  const warnings: string[] = [];
  const logger = {
    info() {},
    debug() {},
    error() {},
    warn: (_: unknown, msg: string) => void warnings.push(msg),
  };
  return { logger, warnings };
}

/** The embeddings emulator, started for the test file and stopped after it. */
export function embeddingsEmulator(): LlmEmulator {
  const emulator = new LlmEmulator();
  beforeAll(() => emulator.start());
  afterAll(() => emulator.stop());
  return emulator;
}
