import { readFile, stat } from "node:fs/promises";
import type { Paper } from "../../core/paper.js";
import type { PaperSource, SourceRequest } from "../../core/paper-source.js";
import { fail, ok, type Result } from "../../core/result.js";
import { describeFsError } from "./describe-fs-error.js";
import { parseFileContent } from "./parse-file-content.js";

// Whole-file imports are held in memory; bigger files belong to the streaming reader (readJsonlPapers).
const MAX_BYTES = 256 * 1024 * 1024;

/** Papers from a local file (request.file): HF JSON, arXiv Atom, paper JSON/JSONL or a pasted text page. */
export function createFileSource(): PaperSource {
  return {
    name: "file",
    async fetch(request: SourceRequest): Promise<Result<Paper[]>> {
      const path = request.file;
      if (!path) return fail("the file source needs a file path");
      let bytes: Buffer;
      try {
        const { size } = await stat(path);
        if (size > MAX_BYTES) {
          return fail(`${path} is too large to import at once (${Math.round(size / 1e6)} MB)`);
        }
        bytes = await readFile(path);
      } catch (error) {
        return fail(describeFsError(path, error));
      }

      const text = decodeText(bytes);
      if (text === null) {
        return fail(`${path} is binary, not text: expected JSON, JSONL, Atom XML or a copied text page`);
      }
      const day = request.date && /^\d{4}-\d{2}-\d{2}$/.test(request.date) ? request.date : null;
      const parsed = parseFileContent(text, day);
      if (!parsed.ok) return fail(`${path}: ${parsed.error}`);
      // Whatever the format, these papers came from a file; the store uses `source` to say so.
      const papers = parsed.value.map((paper) => ({ ...paper, source: "file" }));
      return ok(request.limit === undefined ? papers : papers.slice(0, Math.max(0, request.limit)));
    },
  };
}

/** The file as UTF-8 text, or null when it is not text (NUL bytes or invalid UTF-8). */
function decodeText(bytes: Buffer): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
