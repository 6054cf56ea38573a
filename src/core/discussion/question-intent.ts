import { contentWords, words } from "./terms.js";

/** Something a sentence must mention to answer: any of its (stemmed) alternatives. */
export interface Concept {
  label: string;
  alternatives: string[];
  /** A cue says what kind of answer fits ("dataset", "compared"); a topic is what it is about. */
  cue: boolean;
}

export type QuestionIntent =
  | { kind: "summary" }
  | { kind: "related" }
  | { kind: "ask"; concepts: Concept[] }
  | { kind: "empty" };

/** Kinds of question and the words a sentence answering them tends to use. */
const CUES: { label: string; asks: RegExp; answers: string }[] = [
  {
    label: "data",
    asks: /\b(datasets?|data|benchmarks?|corp(us|ora)|evaluat\w*|trained on)\b/i,
    answers: "dataset benchmark corpus corpora evaluate evaluation",
  },
  {
    label: "comparison",
    asks: /\b(compar\w*|versus|vs\.?|better|worse|outperform\w*|baselines?|against)\b/i,
    answers: "compared comparison outperforms baseline baselines surpasses than versus better superior",
  },
  {
    label: "results",
    asks: /\b(results?|performance|accuracy|scores?|gains?|improv\w*|reach\w*|achiev\w*|how (good|well|much|many|fast))\b/i,
    answers:
      "results outperforms achieves improves improvement accuracy performance gains state-of-the-art speedup faster higher",
  },
  {
    label: "method",
    asks: /\b(how does (it|this) work|methods?|approach|technique|architecture|how do they)\b/i,
    answers: "propose proposed method approach introduce framework architecture",
  },
  {
    label: "limitations",
    asks: /\b(limitations?|weakness(es)?|drawbacks?|fail\w*|caveats?)\b/i,
    answers: "limitation limitations limited however fails drawback future",
  },
  {
    label: "code",
    asks: /\b(code|github|implementation|open[- ]source|released?)\b/i,
    answers: "code github release released available open-source",
  },
];

/** How people ask (stemmed) -> how papers put it: "how much memory does it save?" meets "reduces memory". */
const ASKED_AS: Record<string, string> = {
  sav: "reduce reduction lower less fewer smaller cut",
  fast: "speedup faster speed latency",
  faster: "speedup fast speed latency",
  cost: "cheaper cheap expensive budget",
  big: "large size scale",
};

const SUMMARY =
  /\b(summary|summari[sz]e|tl;?\s?dr|overview|gist|eli5)\b|what('s| is) (this|it|the paper) about/i;
const RELATED = /\b(related (work|papers?)|similar (work|papers?)|prior work|more like this)\b/i;

/** What a question in a paper's thread asks for, and which words its answer must contain. */
export function questionIntent(question: string): QuestionIntent {
  if (SUMMARY.test(question)) return { kind: "summary" };
  if (RELATED.test(question)) return { kind: "related" };
  const concepts: Concept[] = [];
  const cueWords = new Set<string>();
  for (const cue of CUES) {
    const match = cue.asks.exec(question);
    if (!match) continue;
    concepts.push({ label: cue.label, alternatives: [...new Set(words(cue.answers))], cue: true });
    for (const w of words(match[0])) cueWords.add(w);
  }
  for (const word of contentWords(question)) {
    if (cueWords.has(word)) continue;
    const alternatives = [word, ...words(ASKED_AS[word] ?? "")];
    concepts.push({ label: word, alternatives: [...new Set(alternatives)], cue: false });
  }
  return concepts.length > 0 ? { kind: "ask", concepts } : { kind: "empty" };
}
