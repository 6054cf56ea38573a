import { clip, toCard } from "../paper-card.js";
import type { Clock, ListedPaper, Logger, Store } from "../ports.js";
import type { Reply } from "../reply.js";
import type { LiveSearchIndex } from "../search/live-search-index.js";
import { relatedPapers } from "../search/related-papers.js";
import { buildBriefing } from "./briefing.js";
import { extractiveAnswer, MODEL_HINT } from "./extractive-answer.js";
import type { FullTextFetcher } from "./full-text-fetcher.js";
import { llmAnswer } from "./llm-answer.js";
import type { LlmClient } from "./llm-client.js";
import { loadPaperText } from "./load-paper-text.js";
import { questionIntent } from "./question-intent.js";
import { rankSentences } from "./rank-sentences.js";
import { splitSentences } from "./sentences.js";

/** What answering questions needs beyond the store: where full texts come from, and a model if any. */
export interface DiscussionDeps {
  fullText: FullTextFetcher | null;
  llm: LlmClient | null;
}

export interface AnswerDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  discussion: DiscussionDeps;
  searchIndex?: LiveSearchIndex | undefined;
}

export const EXAMPLE_QUESTIONS =
  '"what dataset?", "how does it compare to X?", "explain <term>", "related work?", "summary"';

/** Answers a question about one paper from its own text: quoted sentences, or a model's cited answer. */
export async function answerQuestion(deps: AnswerDeps, paper: ListedPaper, question: string): Promise<Reply> {
  const intent = questionIntent(question);
  if (intent.kind === "empty") {
    return {
      visibility: "channel",
      tone: "info",
      title: `Ask me about “${clip(paper.title, 100)}”`,
      lines: [`For example: ${EXAMPLE_QUESTIONS}.`],
    };
  }
  if (intent.kind === "summary") {
    const briefing = buildBriefing(paper, []);
    return {
      visibility: "channel",
      tone: "info",
      title: `In short: “${clip(paper.title, 120)}”`,
      lines: briefing.points.map((p) => `${p.label}: ${p.text}`),
      footer: `From ${briefing.basis}.`,
    };
  }
  const text = await loadPaperText({ ...deps, fullText: deps.discussion.fullText }, paper);
  if (intent.kind === "related") {
    const related = await relatedPapers(deps.store.papers, paper, { limit: 3, index: deps.searchIndex });
    const section = text.sections.find((s) => /related work|prior work|background/i.test(s.heading));
    return {
      visibility: "channel",
      tone: "info",
      title: "Related work",
      lines: section
        ? splitSentences(section.text)
            .slice(0, 2)
            .map((s) => `“${clip(s, 400)}” — ${section.heading}`)
        : ["The paper's text I have has no related-work section; here are similar papers I know."],
      related: related.map(toCard),
      footer: "More like this: papers in paperboy's library on the same topic.",
    };
  }
  const ranked = rankSentences(text.sections, intent.concepts);
  const llm = deps.discussion.llm;
  if (llm) {
    const written = await llmAnswer(llm, paper, text, intent.concepts, ranked, question);
    if (written.ok) return written.value;
    deps.logger.warn(
      { paper: paper.id, model: llm.model, err: written.error },
      "model answer failed; quoting instead",
    );
  }
  const note = llm ? "(The language model didn't answer this time.)" : MODEL_HINT;
  return extractiveAnswer(paper, text, intent.concepts, ranked, note);
}
