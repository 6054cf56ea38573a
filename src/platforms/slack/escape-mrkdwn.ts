import { wellFormed } from "../../core/well-formed.js";

/**
 * Text from papers and users made inert for Slack mrkdwn: `&`, `<` and `>` escaped as Slack asks, so
 * `<!channel>`, `<@U123>` and `<https://evil|click me>` show as text and never ping or link. Control
 * and bidi-override characters are dropped, and lone surrogates replaced.
 */
export function escapeMrkdwn(text: string): string {
  return wellFormed(text)
    .replace(/[\p{Cc}\p{Cf}]/gu, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** Longer URLs are not linked: in a 3000-character section they would crowd out the text they link. */
const MAX_URL = 2000;

/**
 * A URL safe inside `<url|label>`: only http(s), none of the characters that would end the link, and
 * no longer than MAX_URL.
 */
export function safeUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return null;
    const safe = parsed.toString().replace(/[<>|]/g, encodeURIComponent);
    return safe.length <= MAX_URL ? safe : null;
  } catch {
    return null;
  }
}

/** A link whose label is escaped; plain escaped text when the URL is not safe. */
export function mrkdwnLink(url: string | null, label: string): string {
  const safe = url ? safeUrl(url) : null;
  const text = escapeMrkdwn(label);
  return safe ? `<${safe}|${text}>` : text;
}

/**
 * Cuts text to a budget of characters with an ellipsis (Slack limits sections to 3000), at a word when
 * one is near. The cut never ends inside an escape like `&amp;`; inside a `<url|label>` link it keeps
 * what it reached of the label as text, and drops a link cut before its label.
 */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never half an emoji: a lone surrogate is not valid text.
  let cut = text.slice(0, max - 1).replace(/[\uD800-\uDBFF]$/, "");
  const space = cut.lastIndexOf(" ");
  if (space > 0 && space >= cut.length - 30) cut = cut.slice(0, space);
  cut = cut.replace(/&[a-z]*$/, "");
  const open = /<([^<>]*)$/.exec(cut);
  if (open) {
    const bar = (open[1] ?? "").indexOf("|");
    cut = cut.slice(0, open.index) + (bar >= 0 ? (open[1] ?? "").slice(bar + 1) : "");
  }
  return `${cut.trimEnd()}…`;
}
