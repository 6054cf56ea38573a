import type { PaperSection } from "../ports.js";
import type { Concept } from "./question-intent.js";
import { splitSentences } from "./sentences.js";
import { words } from "./terms.js";

export interface RankedSentence {
  section: string;
  text: string;
  /** Reading order across the whole text, for picking neighbours. */
  position: number;
  score: number;
  /** Whether it mentions enough of what the question is about to count as an answer. */
  answers: boolean;
}

/** How many of a question's topic words a sentence must have: all of one or two, most of more. */
const needed = (topics: number) => (topics <= 2 ? topics : Math.ceil(topics * 0.6));

/**
 * Every sentence of the text, best match for the question first: concepts weigh by how rare they are
 * in this paper (a word in every sentence says little), cues (what kind of answer) count half.
 */
export function rankSentences(sections: PaperSection[], concepts: Concept[]): RankedSentence[] {
  const sentences = sections.flatMap((section) => {
    // A section's heading is what all of its sentences are about ("5 Limitations").
    const heading = words(section.heading).filter((w) => !/^\d+$/.test(w));
    return section.text
      .split(/\n{2,}/)
      .flatMap(splitSentences)
      .map((text) => ({ section: section.heading, text, words: new Set([...words(text), ...heading]) }));
  });
  const df = new Map<string, number>();
  for (const s of sentences) for (const w of s.words) df.set(w, (df.get(w) ?? 0) + 1);
  const idf = (w: string) => Math.log(1 + sentences.length / (df.get(w) ?? sentences.length));
  const topics = concepts.filter((c) => !c.cue);
  return sentences
    .map((s, position) => {
      let score = 0;
      let topicHits = 0;
      let cueHits = 0;
      for (const concept of concepts) {
        const hit = concept.alternatives.filter((a) => s.words.has(a));
        if (hit.length === 0) continue;
        score += Math.max(...hit.map(idf)) * (concept.cue ? 0.5 : 1);
        if (concept.cue) cueHits++;
        else topicHits++;
      }
      const answers = topics.length > 0 ? topicHits >= needed(topics.length) : cueHits > 0;
      // Very long sentences match by sheer size; a mild penalty keeps the crisp ones first.
      return {
        section: s.section,
        text: s.text,
        position,
        score: score / (1 + s.text.length / 600),
        answers,
      };
    })
    .sort((a, b) => b.score - a.score || a.position - b.position);
}
