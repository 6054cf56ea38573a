/**
 * Text as the person typed it: Slack sends `&`, `<` and `>` in message and command text as `&amp;`,
 * `&lt;` and `&gt;` (its own markup, `<@U123>`, keeps real brackets). `&amp;` last, so a typed
 * "&lt;" stays "&lt;".
 */
export function typedText(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
