import { z } from "zod";
import { postJson } from "../post-json.js";
import { fail, ok, type Result } from "../result.js";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** An OpenAI-compatible chat-completions endpoint; never throws. */
export interface LlmClient {
  readonly model: string;
  complete(messages: ChatMessage[]): Promise<Result<string>>;
}

export interface LlmOptions {
  /** Up to and including the version, e.g. "https://api.openai.com/v1" or "http://localhost:11434/v1". */
  baseUrl: string;
  apiKey?: string | undefined;
  model: string;
  timeoutMs: number;
  /** Upper bound on the answer's length, in tokens. */
  maxTokens: number;
  fetch?: typeof fetch;
  /** Aborts requests in flight (the bot shutting down): an open request would keep the process alive. */
  signal?: AbortSignal | undefined;
}

const Completion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable().optional() }) })).min(1),
});

/** Longest answer kept, whatever the endpoint sends (a chat message has limits of its own). */
const MAX_ANSWER_CHARS = 3000;

/** Plain fetch against /chat/completions: no SDK, so any compatible server (OpenAI, vLLM, Ollama…) works. */
export function createLlmClient(options: LlmOptions): LlmClient {
  const url = `${options.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  return {
    model: options.model,
    async complete(messages) {
      const answered = await postJson(
        url,
        { model: options.model, messages, max_tokens: options.maxTokens, temperature: 0.1 },
        options,
      );
      if (!answered.ok) return answered;
      const parsed = Completion.safeParse(answered.value);
      if (!parsed.success) return fail("not a chat completion (no choices[0].message.content)");
      const content = parsed.data.choices[0]?.message.content?.trim();
      if (!content) return fail("an empty answer");
      return ok(content.slice(0, MAX_ANSWER_CHARS));
    },
  };
}
