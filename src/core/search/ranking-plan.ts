import type { PaperIndex } from "./paper-index.js";

/** BM25's saturation: a term's weight in a paper approaches (K1 + 1) * idf as its frequency grows. */
export const K1 = 1.2;
/** A paper matching a fraction f of the query's weight keeps COVERAGE_FLOOR + (1 - floor) * f of its score. */
const COVERAGE_FLOOR = 0.35;
/** See planRanking(): concepts in more than this share of a library of at least COMMON_FROM papers. */
const COMMON = 0.1;
const COMMON_FROM = 50_000;
/**
 * In a library of at least COMMON_FROM papers, an exact form typed (a bonus term) that is in more than
 * this share of the papers is left out: at its weight it tells papers apart by under 1% of a score (idf
 * below 0.1), and it would cost a pass over nearly every paper ("model" in "large language model").
 */
const UBIQUITOUS = 0.9;

/** BM25's idf: rare concepts weigh more, and a concept in every paper weighs almost nothing. */
export function idf(total: number, df: number): number {
  return Math.log(1 + (total - df + 0.5) / (df + 0.5));
}

export interface WeightedTerm {
  termId: number;
  /** 1 for the concept asked for; less for a bonus term (the exact form typed). */
  weight: number;
  /** Only adds to papers some other term found (the exact form typed, on top of its concept). */
  bonus?: boolean;
}

/** One concept of the query: a paper matches it when it has any of its terms. */
export interface Clause {
  terms: WeightedTerm[];
}

/** One term's turn over the postings, in the order the ranker takes them. */
export interface RankingPass {
  termId: number;
  /** The bit of the term's clause in a paper's mask of matched clauses. */
  bit: number;
  /** idf * weight * (K1 + 1): what the term adds is scale * tf / (K1 + tf), so always less than this. */
  scale: number;
  /** Only adds to papers an earlier pass found. */
  addOnly: boolean;
  /** The most a paper can still gain from this pass on: the sum of this and later passes' scales. */
  rest: number;
  /** The clauses of this and later passes: a paper found from here on matches no others. */
  restMask: number;
}

export interface RankingPlan {
  passes: RankingPass[];
  /** Per mask of matched clauses, the share of its text score a paper keeps. */
  coverage: Float64Array;
}

/**
 * How a query is ranked: its terms with their weights, in the order they are scored. Rarest concept
 * first. In a big library, a concept in more than COMMON of the papers only adds to papers a rarer
 * concept already found: its postings would otherwise bring in (and cost) a large share of the
 * library, none of which could beat a paper that also has the rarer concept. The exact forms typed
 * (bonus terms) come last and only add to papers found by some concept: a paper with none of the
 * query's concepts is no answer, whatever bonus it would get.
 */
export function planRanking(
  index: PaperIndex,
  clauses: Clause[],
  /** Leaves out ubiquitous typed forms from that many papers on (tests, on a small index). */
  ubiquitousFrom = COMMON_FROM,
): RankingPlan {
  const total = index.liveDocs;
  const ubiquitousDf = total >= ubiquitousFrom ? total * UBIQUITOUS : Number.POSITIVE_INFINITY;
  const terms = clauses.map((clause) =>
    clause.terms.flatMap((t) => {
      const df = index.documentFrequency(t.termId);
      return df === 0 || (t.bonus === true && df > ubiquitousDf)
        ? []
        : [{ termId: t.termId, bonus: t.bonus === true, df, weighted: idf(total, df) * t.weight }];
    }),
  );
  const clauseWeight = terms.map((list) => Math.max(0, ...list.map((t) => t.weighted)));
  const order = terms
    .map((_, c) => c)
    .sort((a, b) => (clauseWeight[b] as number) - (clauseWeight[a] as number) || a - b);
  const commonDf = total >= COMMON_FROM ? total * COMMON : Number.POSITIVE_INFINITY;
  const common = terms.map((list, c) => c !== order[0] && list.every((t) => t.bonus || t.df > commonDf));
  const passes: RankingPass[] = [];
  for (const bonus of [false, true])
    for (const c of order)
      for (const t of terms[c] ?? [])
        if (t.bonus === bonus)
          passes.push({
            termId: t.termId,
            bit: 1 << c,
            scale: t.weighted * (K1 + 1),
            // The first pass finds papers: its term has live postings (df > 0), so later ones have some to add to.
            addOnly: passes.length > 0 && (bonus || (common[c] as boolean)),
            rest: 0,
            restMask: 0,
          });
  for (let p = passes.length - 1; p >= 0; p--) {
    const pass = passes[p] as RankingPass;
    const next = passes[p + 1];
    pass.rest = pass.scale + (next?.rest ?? 0);
    pass.restMask = pass.bit | (next?.restMask ?? 0);
  }
  const sum = clauseWeight.reduce((a, b) => a + b, 0) || 1;
  const coverage = new Float64Array(1 << clauses.length);
  for (let mask = 1; mask < coverage.length; mask++) {
    let covered = 0;
    for (let c = 0; c < clauses.length; c++) if (mask & (1 << c)) covered += clauseWeight[c] as number;
    coverage[mask] = COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * (covered / sum);
  }
  return { passes, coverage };
}
