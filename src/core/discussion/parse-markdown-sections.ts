import type { PaperSection } from "../ports.js";
import { MAX_TEXT_CHARS } from "./parse-arxiv-html.js";

/** Markdown made plain: images dropped, links to their text, emphasis and code marks removed. */
function plain(line: string): string {
  return line
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/(\*\*|__|\*|`)/g, "")
    .replace(/^\s*(?:[-*+]|\d+\.)\s+/, "")
    .trim();
}

/** The sections of a markdown document (the HF paper page's markdown): each heading with its paragraphs. */
export function parseMarkdownSections(markdown: string): PaperSection[] {
  const sections: PaperSection[] = [];
  let paragraph: string[] = [];
  let fenced = false;
  let total = 0;
  const flush = () => {
    const text = paragraph.join(" ").replace(/\s+/g, " ").trim();
    paragraph = [];
    if (!text || total > MAX_TEXT_CHARS) return;
    if (sections.length === 0) sections.push({ heading: "Full text", text: "" });
    const section = sections[sections.length - 1] as PaperSection;
    section.text = section.text ? `${section.text}\n\n${text}` : text;
    total += text.length;
  };
  for (const line of markdown.replace(/\r\n?/g, "\n").split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    const heading = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      sections.push({ heading: plain(heading[1] as string), text: "" });
    } else if (!line.trim() || /^\s*\|/.test(line)) flush();
    else paragraph.push(plain(line));
  }
  flush();
  return sections.filter((s) => s.text);
}
