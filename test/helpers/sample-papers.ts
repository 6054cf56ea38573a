import type { Paper } from "../../src/core/paper.js";
import { sources } from "../../src/sources/registry.js";
import { SAMPLE_PAGE } from "./bot-process.js";

/** The bundled sample page's 100 papers, as the file source parses them (fresh objects each call). */
export async function samplePapers(): Promise<Paper[]> {
  const fetched = await sources.file({}).fetch({ file: SAMPLE_PAGE });
  if (!fetched.ok) throw new Error(fetched.error);
  return fetched.value;
}
