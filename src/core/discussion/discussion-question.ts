import { createHash } from "node:crypto";
import type { Paper } from "../paper.js";

/**
 * One question to open a paper's thread. Chosen from the paper's own traits (code, keywords) and
 * fixed by its id, so a resent briefing asks the same thing.
 */
export function discussionQuestion(paper: Paper): string {
  const keyword = paper.aiKeywords[0];
  const candidates = [
    "Would this result hold up on our own data?",
    "What is the weakest assumption here?",
    "Which baseline is missing from the comparison?",
    "Ready to use, or a research idea for now?",
    ...(paper.codeUrl ? ["Has anyone tried the code? Does it reproduce?"] : []),
    ...(keyword ? [`Where could ${keyword} help in what we are building?`] : []),
  ];
  const n = createHash("sha256").update(paper.id).digest().readUInt32BE(0);
  return candidates[n % candidates.length] as string;
}
