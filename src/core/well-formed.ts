const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as valid UTF-16: half a surrogate pair on its own (from a bad JSON escape or a cut through an
 * emoji) becomes U+FFFD, which Slack, Discord and Postgres all take; a lone half, some refuse or mangle.
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}
