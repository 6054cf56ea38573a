import { fail, ok, type Result } from "../core/result.js";

export interface HttpResponse {
  status: number;
  statusText: string;
  contentType: string;
  headers: Headers;
  text: string;
}

export interface HttpGetOptions {
  accept: string;
  timeoutMs: number;
}

/**
 * GET a URL and read the whole body. Only transport failures become `ok: false` here; HTTP statuses are
 * the caller's to interpret, because each API signals errors differently.
 */
export async function httpGet(
  fetchImpl: typeof globalThis.fetch,
  url: string,
  { accept, timeoutMs }: HttpGetOptions,
): Promise<Result<HttpResponse>> {
  try {
    const response = await fetchImpl(url, {
      headers: { accept },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return ok({
      status: response.status,
      statusText: response.statusText,
      contentType: response.headers.get("content-type") ?? "",
      headers: response.headers,
      text,
    });
  } catch (error) {
    return fail(`could not reach ${hostOf(url)}: ${describeCause(error)}`);
  }
}

function hostOf(url: string): string {
  return URL.canParse(url) ? new URL(url).host : url;
}

// undici reports every network failure as TypeError("fetch failed"); the useful part is in `cause`.
function describeCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) return cause.message || cause.name;
  return String(cause);
}
