/**
 * Text as valid UTF-16: half a surrogate pair on its own (from a bad JSON escape or a cut through an
 * emoji) becomes U+FFFD, which Slack, Discord and Postgres all take; a lone half, some refuse or mangle.
 * (String.prototype.toWellFormed, in Node since 20; the cast is for tsconfig's ES2023 lib.)
 */
export function wellFormed(text: string): string {
  return (text as string & { toWellFormed(): string }).toWellFormed();
}

/** The first `max` UTF-16 units of a text, less a high surrogate left at the end (half an emoji). */
export function sliceWhole(text: string, max: number): string {
  return text.slice(0, max).replace(/[\uD800-\uDBFF]$/, "");
}
