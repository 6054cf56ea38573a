import { clip, firstSentence, toCard } from "../paper-card.js";
import type { ListedPaper } from "../ports.js";
import type { Briefing } from "../reply.js";
import { discussionQuestion } from "./discussion-question.js";
import { paperLinks } from "./paper-links.js";
import { splitSentences } from "./sentences.js";

const POINT_MAX = 260;
const WHAT =
  /\b(we (propose|present|introduce|develop|study|investigate|explore|describe)|this (paper|work)|in this (paper|work)|our (method|approach|model|framework))\b/i;
const HOW =
  /\b(by|via|using|leverag\w*|based on|we (use|train|design|build|combine|employ|apply|first)|consists? of|through)\b/i;
const RESULT =
  /\b(show|shows|demonstrat\w*|outperform\w*|achiev\w*|improv\w*|results?|state[- ]of[- ]the[- ]art|sota|speed-?up|faster|\d+(\.\d+)?\s?(%|x|×))/i;

/**
 * Picks what / how / result sentences from an abstract by their wording, each sentence once. Abstracts
 * open with context, so "what" is the first sentence that proposes something, "how" comes after it,
 * and the result is the last sentence that reports one.
 */
function extractive(abstract: string): { what?: string; how?: string; result?: string } {
  const sentences = splitSentences(abstract);
  if (sentences.length === 0) return {};
  const indexes = sentences.map((_, i) => i);
  const matches = (pattern: RegExp) => indexes.filter((i) => pattern.test(sentences[i] as string));
  const what = matches(WHAT)[0] ?? 0;
  // Results reported before the proposal are usually other people's ("LLMs improved…").
  const result =
    matches(RESULT)
      .filter((i) => i > what)
      .pop() ?? (sentences.length > 2 && what !== sentences.length - 1 ? sentences.length - 1 : undefined);
  const free = (i: number) => i !== what && i !== result;
  const how =
    matches(HOW).find((i) => i > what && free(i)) ??
    matches(HOW).find(free) ??
    (what + 1 < sentences.length && free(what + 1) ? what + 1 : undefined);
  const at = (i: number | undefined) => (i === undefined ? undefined : sentences[i]);
  return { what: at(what), how: at(how), result: at(result) };
}

/**
 * A paper's briefing. Sources in order of preference: the HF AI summary and keywords when present,
 * else an extractive summary of the abstract (which also fills in how and the result).
 */
export function buildBriefing(paper: ListedPaper, related: ListedPaper[]): Briefing {
  const fromAbstract = extractive(paper.abstract);
  const ai = paper.aiSummary?.trim() ? firstSentence(paper.aiSummary, POINT_MAX) : null;
  const points: Briefing["points"] = [];
  const what = ai ?? fromAbstract.what;
  if (what) points.push({ label: "What", text: clip(what, POINT_MAX) });
  if (fromAbstract.how) points.push({ label: "How", text: clip(fromAbstract.how, POINT_MAX) });
  if (fromAbstract.result) points.push({ label: "Result", text: clip(fromAbstract.result, POINT_MAX) });
  return {
    paperId: paper.id,
    title: paper.title,
    points,
    basis: ai ? "the Hugging Face AI summary and the abstract" : "sentences of the abstract",
    keywords: paper.aiKeywords.slice(0, 6),
    links: paperLinks(paper),
    related: related.map(toCard),
    question: discussionQuestion(paper),
  };
}
