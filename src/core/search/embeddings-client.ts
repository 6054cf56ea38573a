import { z } from "zod";
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
  const post = options.fetch ?? fetch;
  return {
    model: options.model,
    async embed(texts) {
      if (texts.length === 0) return ok([]);
      try {
        const response = await post(url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
          },
          body: JSON.stringify({ model: options.model, input: texts }),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        const text = await response.text();
        if (!response.ok) return fail(`HTTP ${response.status}: ${text.slice(0, 200)}`);
        const parsed = Embeddings.safeParse(JSON.parse(text));
        if (!parsed.success) return fail("not an embeddings response (data[].embedding)");
        const vectors: Float32Array[] = [];
        for (const item of parsed.data.data) vectors[item.index] = unit(item.embedding);
        const dims = vectors[0]?.length;
        if (vectors.length !== texts.length || vectors.some((v) => !v || v.length !== dims))
          return fail(`expected ${texts.length} vectors of one size`);
        return ok(vectors);
      } catch (error) {
        const e = error as Error & { cause?: { code?: string } };
        if (e.name === "TimeoutError") return fail(`no answer in ${options.timeoutMs} ms`);
        return fail(e instanceof SyntaxError ? `not JSON: ${e.message}` : (e.cause?.code ?? e.message));
      }
    },
  };
}
