import { createHmac } from "node:crypto";

/**
 * Slack's v0 request signature: HMAC-SHA256 over `v0:<timestamp>:<raw body>` with the signing secret.
 * Checked against the official test vector in slack_slash_command.signature.json.
 */
export function slackSignature(signingSecret: string, timestamp: number | string, body: string): string {
  const hash = createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex");
  return `v0=${hash}`;
}

export interface SignOptions {
  signingSecret: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  /** Six minutes old: Bolt rejects anything older than five. */
  stale?: boolean;
  /** Sign with a secret the app doesn't know, as an attacker would. */
  forgeSignature?: boolean;
}

export function signedHeaders(body: string, options: SignOptions): Record<string, string> {
  const now = Math.floor(Date.now() / 1000);
  const timestamp = options.timestamp ?? (options.stale ? now - 6 * 60 : now);
  const secret = options.forgeSignature ? `forged-${options.signingSecret}` : options.signingSecret;
  return {
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": slackSignature(secret, timestamp, body),
  };
}
