import type { Paper } from "../paper.js";
import { clip } from "../paper-card.js";
import type { Reply } from "../reply.js";
import { fail, ok, type Result } from "../result.js";
import { notSaidReply } from "./extractive-answer.js";
import type { LlmClient } from "./llm-client.js";
import type { PaperText } from "./load-paper-text.js";
import { ANSWER_SYSTEM_PROMPT, answerUserPrompt, NOT_IN_PAPER, type PromptPassage } from "./prompts.js";
import type { Concept } from "./question-intent.js";
import type { RankedSentence } from "./rank-sentences.js";

/** What the model reads: the abstract, then the best-matching sentences with their neighbours. */
const MAX_PASSAGES = 8;
const MAX_CONTEXT_CHARS = 6000;

function passages(text: PaperText, ranked: RankedSentence[]): PromptPassage[] {
  const byPosition = new Map(ranked.map((s) => [s.position, s]));
  const abstract = text.sections.find((s) => s.heading === "Abstract");
  const chosen: PromptPassage[] = abstract ? [{ section: "Abstract", text: clip(abstract.text, 3000) }] : [];
  const used = new Set<number>();
  let size = chosen[0]?.text.length ?? 0;
  for (const hit of ranked) {
    if (chosen.length >= MAX_PASSAGES || hit.score <= 0) break;
    if (hit.section === "Abstract" || used.has(hit.position)) continue;
    const window = [hit.position - 1, hit.position, hit.position + 1]
      .map((p) => byPosition.get(p))
      .filter(
        (s): s is RankedSentence => s !== undefined && s.section === hit.section && !used.has(s.position),
      );
    const passage = clip(window.map((s) => s.text).join(" "), 900);
    if (size + passage.length > MAX_CONTEXT_CHARS) break;
    for (const s of window) used.add(s.position);
    chosen.push({ section: hit.section, text: passage });
    size += passage.length;
  }
  return chosen;
}

/**
 * The model's answer from the paper's passages only. Fails (so the caller falls back to quoting) when
 * the endpoint fails, times out, answers malformed, or answers without citing a passage.
 */
export async function llmAnswer(
  llm: LlmClient,
  paper: Paper,
  text: PaperText,
  concepts: Concept[],
  ranked: RankedSentence[],
  question: string,
): Promise<Result<Reply>> {
  const given = passages(text, ranked);
  if (given.length === 0) return fail("no text to give the model");
  const answer = await llm.complete([
    { role: "system", content: ANSWER_SYSTEM_PROMPT },
    { role: "user", content: answerUserPrompt(paper.title, given, question) },
  ]);
  if (!answer.ok) return answer;
  const footer = `Checked by ${llm.model} against the paper's text only.`;
  if (answer.value.replace(/[^A-Z_]/g, "") === NOT_IN_PAPER)
    return ok(notSaidReply(paper, text, concepts, footer));
  const cited = [...new Set([...answer.value.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])))]
    .filter((n) => n >= 1 && n <= given.length)
    .sort((a, b) => a - b);
  if (cited.length === 0) return fail("the model's answer cites no passage of the paper");
  return ok({
    visibility: "channel",
    tone: "info",
    title: `About “${clip(paper.title, 120)}”`,
    lines: [
      ...answer.value
        .split(/\n+/)
        .map((l) => l.trim())
        .filter(Boolean),
      `Sources: ${cited.map((n) => `[${n}] ${given[n - 1]?.section}`).join(" · ")}`,
    ],
    footer: `Written by ${llm.model} from the paper's text only; check the sources above.`,
  });
}
