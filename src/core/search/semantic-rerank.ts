import type { ListedPaper, Logger } from "../ports.js";
import type { EmbeddingsClient } from "./embeddings-client.js";

/** How much meaning counts against the text match in the final order (0: not at all, 1: only). */
const WEIGHT = 0.35;
/** Paper vectors kept in memory: a paper is embedded once, not on every search it turns up in. */
const CACHE = 20_000;
/** What of a paper is embedded: enough to say what it is about, within every model's input limit. */
const PAPER_TEXT = 1_500;

const dot = (a: Float32Array, b: Float32Array) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
};

/**
 * Semantic reranking through an embeddings endpoint: the text search's candidates are reordered by a
 * blend of their text score and their meaning's closeness to the query, so "shrinking neural nets"
 * puts pruning and quantization papers first. It never finds papers the text search did not; when the
 * endpoint fails or is slow, the text order stands.
 */
export class SemanticReranker {
  private readonly vectors = new Map<string, Float32Array>();

  constructor(
    private readonly client: EmbeddingsClient,
    private readonly logger: Logger,
  ) {}

  /** The candidates in their new order (text order on any failure). */
  async rerank(query: string, candidates: ListedPaper[]): Promise<ListedPaper[]> {
    if (candidates.length < 2) return candidates;
    const missing = candidates.filter((p) => !this.vectors.has(p.id));
    const embedded = await this.client.embed([
      query,
      ...missing.map((p) => `${p.title}\n${p.abstract}`.slice(0, PAPER_TEXT)),
    ]);
    if (!embedded.ok) {
      this.logger.warn({ err: embedded.error, model: this.client.model }, "semantic rerank skipped");
      return candidates;
    }
    const [queryVector, ...paperVectors] = embedded.value;
    for (const [i, paper] of missing.entries()) this.remember(paper.id, paperVectors[i] as Float32Array);
    const top = Math.max(...candidates.map((p) => p.score), Number.EPSILON);
    const blended = candidates.map((paper) => {
      const vector = this.vectors.get(paper.id);
      const meaning =
        vector && queryVector && vector.length === queryVector.length ? dot(vector, queryVector) : 0;
      return { paper, score: (1 - WEIGHT) * (paper.score / top) + WEIGHT * meaning };
    });
    blended.sort((a, b) => b.score - a.score || (a.paper.id < b.paper.id ? -1 : 1));
    return blended.map((b) => b.paper);
  }

  private remember(id: string, vector: Float32Array): void {
    // A Map keeps insertion order: the oldest entry goes first when it is full.
    if (this.vectors.size >= CACHE) this.vectors.delete(this.vectors.keys().next().value as string);
    this.vectors.set(id, vector);
  }
}
