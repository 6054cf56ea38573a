import { performance } from "node:perf_hooks";
import { type SignOptions, signedHeaders } from "./signing.js";

export interface Delivery {
  status: number;
  /** The app's response body as text (Bolt answers acks with text or JSON). */
  body: string;
  headers: Record<string, string>;
  /** How long the app took to answer; for diagnostics, not for assertions. */
  ms: number;
}

export interface DeliveryOptions extends Partial<SignOptions> {
  /** Sets X-Slack-Retry-Num, as Slack does when it redelivers an event the app didn't ack in time. */
  retryNum?: number;
  /** X-Slack-Retry-Reason; defaults to "http_timeout" when retryNum is set. */
  retryReason?: string;
}

export type ContentType = "application/json" | "application/x-www-form-urlencoded";

/**
 * POSTs a signed request to the app the way Slack does. The content type must be exactly
 * `application/x-www-form-urlencoded` for forms: Bolt's HTTPReceiver compares it without parameters
 * and would JSON.parse anything else.
 */
export async function deliver(
  targetUrl: string,
  body: string,
  contentType: ContentType,
  options: DeliveryOptions & { signingSecret: string },
): Promise<Delivery> {
  const headers: Record<string, string> = {
    "content-type": contentType,
    ...signedHeaders(body, options),
  };
  if (options.retryNum !== undefined) {
    headers["x-slack-retry-num"] = String(options.retryNum);
    headers["x-slack-retry-reason"] = options.retryReason ?? "http_timeout";
  }
  const started = performance.now();
  const response = await fetch(targetUrl, { method: "POST", headers, body });
  const text = await response.text();
  return {
    status: response.status,
    body: text,
    headers: Object.fromEntries(response.headers),
    ms: performance.now() - started,
  };
}
