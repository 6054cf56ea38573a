import { Parser } from "htmlparser2";
import type { PaperSection } from "../ports.js";

/** Never text of the paper: page chrome, code, and the parts of LaTeXML's output that interrupt prose. */
const SKIP_TAGS = new Set([
  "script",
  "style",
  "nav",
  "header",
  "footer",
  "button",
  "noscript",
  "head",
  "table",
  "svg",
]);
const SKIP_CLASSES =
  /\b(ltx_authors|ltx_bibliography|ltx_page_footer|ltx_page_header|ltx_dates|ltx_note|ltx_role_footnote|ltx_tag_note)\b/;
const PARAGRAPHS = new Set(["p", "figcaption"]);
const HEADING = /^h[1-6]$/;
const DROPPED_SECTIONS = /^(\d+\s*)?(references|bibliography|acknowledg(e)?ments?)\b/i;
export const MAX_TEXT_CHARS = 300_000;

const fold = (text: string) => text.replace(/\s+/g, " ").trim();

/**
 * The sections of an arXiv HTML page (LaTeXML's output): each heading with the paragraphs and figure
 * captions under it, math as its TeX alt text, references and page chrome left out.
 */
export function parseArxivHtml(html: string): PaperSection[] {
  const sections: PaperSection[] = [];
  const stack: { name: string; skip: boolean }[] = [];
  let skipping = 0;
  let heading: string | null = null;
  let paragraph: string | null = null;
  let total = 0;
  const current = () => sections[sections.length - 1];
  const append = (text: string) => {
    if (heading !== null) heading += text;
    else if (paragraph !== null) paragraph += text;
  };
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const skip = SKIP_TAGS.has(name) || SKIP_CLASSES.test(attribs.class ?? "") || name === "math";
        if (name === "math" && !skipping && attribs.alttext) append(` ${attribs.alttext} `);
        stack.push({ name, skip });
        if (skip) skipping++;
        if (skipping) return;
        if (HEADING.test(name)) heading = "";
        else if (PARAGRAPHS.has(name) && heading === null) paragraph = "";
      },
      ontext(text) {
        if (!skipping) append(text);
      },
      onclosetag(name) {
        const open = stack.pop();
        if (open?.skip) skipping--;
        if (skipping) return;
        if (HEADING.test(name) && heading !== null) {
          const title = fold(heading);
          heading = null;
          // h1 is the paper's title, not a section.
          if (name !== "h1" && title) sections.push({ heading: title, text: "" });
        } else if (PARAGRAPHS.has(name) && paragraph !== null) {
          const text = fold(paragraph);
          paragraph = null;
          if (!text || total > MAX_TEXT_CHARS) return;
          if (!current()) sections.push({ heading: "Full text", text: "" });
          const section = current() as PaperSection;
          section.text = section.text ? `${section.text}\n\n${text}` : text;
          total += text.length;
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return sections.filter((s) => s.text && !DROPPED_SECTIONS.test(s.heading));
}
