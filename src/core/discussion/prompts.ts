/**
 * Every prompt paperboy sends to a language model, in one place so they can be read and tuned
 * together. The model sees only passages of the paper, never anything else, and must cite them.
 */

/** What the model answers when the passages don't answer the question. */
export const NOT_IN_PAPER = "NOT_IN_PAPER";

export const ANSWER_SYSTEM_PROMPT = [
  "You answer questions about one research paper in a team's chat thread.",
  "Use only the numbered passages from the paper that the user gives you. Do not use any other knowledge,",
  "do not guess, and do not fill gaps with what papers usually do.",
  `If the passages do not answer the question, reply with exactly ${NOT_IN_PAPER} and nothing else.`,
  "Otherwise answer in at most four short sentences of plain text (no markdown, no headings),",
  "and cite the passages you used with their numbers in square brackets, like [1] or [2][4].",
].join(" ");

export interface PromptPassage {
  section: string;
  text: string;
}

/** The user turn: the paper's title, its numbered passages with their sections, then the question. */
export function answerUserPrompt(title: string, passages: PromptPassage[], question: string): string {
  const numbered = passages.map((p, i) => `[${i + 1}] (${p.section}) ${p.text}`).join("\n\n");
  return `Paper: ${title}\n\nPassages:\n${numbered}\n\nQuestion: ${question}`;
}
