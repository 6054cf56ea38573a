import type { Paper } from "../paper.js";
import { clip } from "../paper-card.js";
import type { Reply } from "../reply.js";
import type { PaperText } from "./load-paper-text.js";
import type { Concept } from "./question-intent.js";
import type { RankedSentence } from "./rank-sentences.js";

const QUOTES = 3;
export const MODEL_HINT =
  "For written answers, an admin can configure a language model (LLM_BASE_URL, LLM_MODEL, LLM_API_KEY).";

/** What was searched, as the answer tells it. */
export function searched(text: PaperText): string {
  const names: Record<string, string> = { "arxiv-html": "arXiv HTML", "hf-markdown": "Hugging Face page" };
  return text.fullTextSource
    ? `the abstract and the full text (${names[text.fullTextSource] ?? text.fullTextSource})`
    : "the abstract (no full text was reachable)";
}

/** The honest answer when the paper's text has nothing on the question: no guessing. */
export function notSaidReply(paper: Paper, text: PaperText, concepts: Concept[], footer?: string): Reply {
  const topics = concepts.filter((c) => !c.cue).map((c) => c.label);
  const about = (topics.length > 0 ? topics : concepts.map((c) => c.label)).join(", ");
  return {
    visibility: "channel",
    tone: "info",
    title: "The paper doesn't say",
    lines: [
      `I searched ${searched(text)} of “${clip(paper.title, 100)}” for ${about || "that"} and found nothing that answers it.`,
      "I answer only from the paper's own text, so I won't guess.",
    ],
    ...(footer ? { footer } : {}),
  };
}

/** The sentences of the paper that best answer the question, quoted with the section they come from. */
export function extractiveAnswer(
  paper: Paper,
  text: PaperText,
  concepts: Concept[],
  ranked: RankedSentence[],
  note: string,
): Reply {
  const seen = new Set<string>();
  const quotes = ranked
    .filter((s) => s.answers && s.score > 0 && !seen.has(s.text) && seen.add(s.text))
    .slice(0, QUOTES);
  if (quotes.length === 0) return notSaidReply(paper, text, concepts, note);
  return {
    visibility: "channel",
    tone: "info",
    title: `From “${clip(paper.title, 120)}”`,
    lines: quotes.map((q) => `“${clip(q.text, 500)}” — ${q.section}`),
    footer: `Quoted from ${searched(text)}, best match first. ${note}`,
  };
}
