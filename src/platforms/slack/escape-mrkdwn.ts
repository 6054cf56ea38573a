/**
 * Text from papers and users made inert for Slack mrkdwn: `&`, `<` and `>` escaped as Slack asks, so
 * `<!channel>`, `<@U123>` and `<https://evil|click me>` show as text and never ping or link. Control
 * and bidi-override characters are dropped.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Cf}]/gu, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** A URL safe inside `<url|label>`: only http(s), and none of the characters that would end the link. */
export function safeUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return null;
    return parsed.toString().replace(/[<>|]/g, encodeURIComponent);
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

/** Cuts text to a budget of characters at a word, with an ellipsis (Slack limits sections to 3000). */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  // Never cut inside an escape like &amp; or a <link|label>.
  const safe = cut.replace(/&[a-z]*$/, "").replace(/<[^>]*$/, "");
  return `${safe.slice(0, Math.max(safe.lastIndexOf(" "), safe.length - 30))}…`;
}
