import type { ListedPaper, Logger, PaperVectorStore } from "../ports.js";
import { type EmbeddingsClient, paperEmbeddingText } from "./embeddings-client.js";

/** How much meaning counts against the text match in the final order (0: not at all, 1: only). */
const WEIGHT = 0.35;
/** Paper vectors kept in memory: a paper is embedded once, not on every search it turns up in. */
const CACHE = 20_000;
/** Papers asked of the vector index per search, besides the text search's candidates. */
const NEIGHBOURS = 15;

const dot = (a: Float32Array, b: Float32Array) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
};

/** The papers' vectors in the database, once the embedder has made them ready. */
export interface PaperLibrary {
  vectors: PaperVectorStore;
  readonly ready: boolean;
}

/** Reads the listed papers of ids the text search did not return (with the asking channel's votes). */
export type LoadPapers = (ids: string[]) => Promise<ListedPaper[]>;

/**
 * Search by meaning through an embeddings endpoint: the text search's candidates are reordered by a
 * blend of their text score and their meaning's closeness to the query, so "shrinking neural nets"
 * puts pruning and quantization papers first. With the papers' vectors in the database (pgvector),
 * the papers nearest in meaning join the candidates, so papers that share no word with the query
 * are found too; they count with no text score, so a clear text match still comes first. When the
 * endpoint or the vector index fails or is slow, the text order stands.
 */
export class SemanticReranker {
  private readonly vectors = new Map<string, Float32Array>();

  constructor(
    private readonly client: EmbeddingsClient,
    private readonly logger: Logger,
    private readonly library?: PaperLibrary,
  ) {}

  /** The candidates, and any papers near in meaning, in their new order (text order on any failure). */
  async rerank(query: string, candidates: ListedPaper[], load?: LoadPapers): Promise<ListedPaper[]> {
    const library = this.library?.ready && load ? this.library.vectors : undefined;
    if (candidates.length < (library ? 1 : 2)) return candidates;
    try {
      const stored = library ? await library.vectorsOf(candidates.map((p) => p.id)) : new Map();
      for (const [id, vector] of stored) this.remember(id, vector);
      const missing = candidates.filter((p) => !this.vectors.has(p.id));
      const embedded = await this.client.embed([query, ...missing.map(paperEmbeddingText)]);
      if (!embedded.ok) {
        this.logger.warn({ err: embedded.error, model: this.client.model }, "semantic rerank skipped");
        return candidates;
      }
      const [queryVector, ...paperVectors] = embedded.value as [Float32Array, ...Float32Array[]];
      for (const [i, paper] of missing.entries()) this.remember(paper.id, paperVectors[i] as Float32Array);
      const near = library && load ? await this.neighbours(library, load, queryVector, candidates) : [];
      return this.blend(queryVector, candidates, near);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, "semantic search skipped");
      return candidates;
    }
  }

  /** The papers nearest the query that the text search did not find, with their similarity. */
  private async neighbours(
    library: PaperVectorStore,
    load: LoadPapers,
    queryVector: Float32Array,
    candidates: ListedPaper[],
  ): Promise<{ paper: ListedPaper; meaning: number }[]> {
    const known = new Set(candidates.map((p) => p.id));
    const near = (await library.nearest(queryVector, NEIGHBOURS)).filter((n) => !known.has(n.id));
    if (near.length === 0) return [];
    const similarity = new Map(near.map((n) => [n.id, n.similarity]));
    const papers = await load(near.map((n) => n.id));
    return papers.map((paper) => ({ paper, meaning: similarity.get(paper.id) ?? 0 }));
  }

  private blend(
    queryVector: Float32Array,
    candidates: ListedPaper[],
    near: { paper: ListedPaper; meaning: number }[],
  ): ListedPaper[] {
    const top = Math.max(...candidates.map((p) => p.score), Number.EPSILON);
    const blended = candidates.map((paper) => {
      const vector = this.vectors.get(paper.id);
      const meaning = vector && vector.length === queryVector.length ? dot(vector, queryVector) : 0;
      return { paper, score: (1 - WEIGHT) * (paper.score / top) + WEIGHT * meaning };
    });
    for (const { paper, meaning } of near) blended.push({ paper, score: WEIGHT * meaning });
    blended.sort((a, b) => b.score - a.score || (a.paper.id < b.paper.id ? -1 : 1));
    return blended.map((b) => b.paper);
  }

  private remember(id: string, vector: Float32Array): void {
    // A Map keeps insertion order: the oldest entry goes first when it is full.
    if (this.vectors.size >= CACHE) this.vectors.delete(this.vectors.keys().next().value as string);
    this.vectors.set(id, vector);
  }
}
