/** Collapses hard line breaks and runs of whitespace, so titles and abstracts read as one line. */
export function foldWhitespace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
