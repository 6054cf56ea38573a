import { fail, ok, type Result } from "./result.js";

export interface PostJsonOptions {
  /** Sent as "Authorization: Bearer …" when set. */
  apiKey?: string | undefined;
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Ends the request early (a shutdown): an open request would keep the process alive. */
  signal?: AbortSignal | undefined;
}

/**
 * POSTs a JSON body to an OpenAI-compatible endpoint and parses the JSON answer; never throws. A
 * failure says what went wrong in a few words (a timeout, the network error's code, the HTTP status
 * with the start of the body, or a body that is not JSON), for a log line.
 */
export async function postJson(
  url: string,
  body: unknown,
  options: PostJsonOptions,
): Promise<Result<unknown>> {
  try {
    const response = await (options.fetch ?? fetch)(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify(body),
      signal: options.signal
        ? AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)])
        : AbortSignal.timeout(options.timeoutMs),
    });
    // Read inside the timeout: a server that sends headers and then stalls is as slow as a silent one.
    const text = await response.text();
    if (!response.ok) return fail(`HTTP ${response.status}: ${text.slice(0, 200)}`);
    try {
      return ok(JSON.parse(text));
    } catch (error) {
      return fail(`not JSON: ${(error as Error).message}`);
    }
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    return fail(
      e.name === "TimeoutError" ? `no answer in ${options.timeoutMs} ms` : (e.cause?.code ?? e.message),
    );
  }
}
