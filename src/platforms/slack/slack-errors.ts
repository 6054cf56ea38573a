import { PlatformError } from "../../core/chat-platform.js";

/** Slack errors that retrying cannot fix: the bot must be invited, the channel is gone, the token is bad. */
const PERMANENT = new Set([
  "not_in_channel",
  "channel_not_found",
  "is_archived",
  "account_inactive",
  "invalid_auth",
  "not_authed",
  "token_revoked",
  "missing_scope",
  "restricted_action",
  "msg_too_long",
  "invalid_blocks",
]);

const ADVICE: Record<string, string> = {
  not_in_channel: "invite the bot to the channel (/invite @paperboy)",
  channel_not_found: "the channel was deleted or the bot can't see it",
  is_archived: "the channel is archived",
  missing_scope: "reinstall the app with the scopes in deploy/slack-app-manifest.yaml",
  invalid_auth: "check SLACK_BOT_TOKEN",
};

/** A Web API failure as a PlatformError that says what to do about it. */
export function toPlatformError(error: unknown, action: string): PlatformError {
  const code = (error as { data?: { error?: string } }).data?.error;
  if (code) {
    const advice = ADVICE[code] ? `: ${ADVICE[code]}` : "";
    return new PlatformError(`Slack refused to ${action} (${code})${advice}`, PERMANENT.has(code), code);
  }
  return new PlatformError(`Slack: could not ${action}: ${(error as Error).message}`, false);
}
