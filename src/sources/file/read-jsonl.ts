import { open } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { Paper } from "../../core/paper.js";
import { fail, type Result } from "../../core/result.js";
import { describeFsError } from "./describe-fs-error.js";
import { parsePaperLine } from "./paper-record.js";

/**
 * Streams a JSONL file of Paper-like objects, one Result per non-blank line, so million-line files never sit
 * in memory. A bad line yields an error naming its line number and reading goes on: whether one bad line
 * spoils the batch is the caller's call. Never throws; I/O failures come out as a final error.
 */
export async function* readJsonlPapers(
  path: string,
  /** Hears how many bytes of the file were read so far (for a progress bar). */
  onBytes?: (bytes: number) => void,
): AsyncIterable<Result<Paper>> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch (error) {
    yield fail(describeFsError(path, error));
    return;
  }
  const input = handle.createReadStream({ encoding: "utf8" });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const raw of lines) {
      lineNumber++;
      if (onBytes && lineNumber % 1000 === 0) onBytes(input.bytesRead);
      const line = lineNumber === 1 ? raw.replace(/^\uFEFF/, "") : raw;
      if (line.trim() === "") continue;
      const paper = parsePaperLine(line);
      yield paper.ok ? paper : fail(`${path} line ${lineNumber}: ${paper.error}`);
    }
  } catch (error) {
    yield fail(`${describeFsError(path, error)} (stopped after line ${lineNumber})`);
  } finally {
    lines.close();
    await handle.close().catch(() => {});
  }
}
