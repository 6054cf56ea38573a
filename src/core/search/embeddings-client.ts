import { z } from "zod";
import { postJson } from "../post-json.js";
import { fail, ok, type Result } from "../result.js";

/** An OpenAI-compatible embeddings endpoint; never throws. Vectors come back unit-length. */
export interface EmbeddingsClient {
  readonly model: string;
  embed(texts: string[]): Promise<Result<Float32Array[]>>;
}

export interface EmbeddingsOptions {
  /** Up to and including the version, e.g. "https://api.openai.com/v1" or "http://localhost:11434/v1". */
  baseUrl: string;
  apiKey?: string | undefined;
  model: string;
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Aborts requests in flight (the bot shutting down): an open request would keep the process alive. */
  signal?: AbortSignal | undefined;
}

const Embeddings = z.object({
  data: z.array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()).min(1) })),
});

function unit(values: number[]): Float32Array {
  const vector = Float32Array.from(values);
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) / norm;
  return vector;
}

/** Plain fetch against /embeddings, so any compatible server (OpenAI, vLLM, Ollama, TEI…) works. */
export function createEmbeddingsClient(options: EmbeddingsOptions): EmbeddingsClient {
  const url = `${options.baseUrl.replace(/\/+$/, "")}/embeddings`;
  return {
    model: options.model,
    async embed(texts) {
      if (texts.length === 0) return ok([]);
      const answered = await postJson(url, { model: options.model, input: texts }, options);
      if (!answered.ok) return answered;
      const parsed = Embeddings.safeParse(answered.value);
      if (!parsed.success) return fail("not an embeddings response (data[].embedding)");
      const vectors: Float32Array[] = [];
      for (const item of parsed.data.data) vectors[item.index] = unit(item.embedding);
      const dims = vectors[0]?.length;
      if (vectors.length !== texts.length || vectors.some((v) => !v || v.length !== dims))
        return fail(`expected ${texts.length} vectors of one size`);
      return ok(vectors);
    },
  };
}

/** What of a paper is embedded: enough to say what it is about, within every model's input limit. */
const PAPER_TEXT = 1_500;

/** The text a paper is embedded from, the same wherever it is embedded. */
export const paperEmbeddingText = (paper: { title: string; abstract: string }) =>
  `${paper.title}\n${paper.abstract}`.slice(0, PAPER_TEXT);
