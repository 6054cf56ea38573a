import { XMLParser } from "fast-xml-parser";
import { makePaper, type Paper } from "../../core/paper.js";
import { canonicalPaperId } from "../../core/paper-id.js";
import { fail, ok, type Result } from "../../core/result.js";
import { foldWhitespace } from "../fold-whitespace.js";

type Node = Record<string, unknown>;

const REPEATED = new Set(["entry", "author", "link", "category"]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  // The classic feed and the 2026 feed declare namespaces differently; without prefixes both look alike.
  removeNSPrefix: true,
  // Ids such as "2002.00741" and titles such as "1984" must stay strings.
  parseTagValue: false,
  isArray: (name) => REPEATED.has(name),
});

/**
 * Papers from an arXiv API Atom feed. A feed of zero entries is fine (arXiv also answers a throttled
 * request with an empty 200, so the caller decides what "nothing" means); an error feed is not.
 */
export function parseArxivAtom(xml: string): Result<Paper[]> {
  const trimmed = xml.replace(/^\uFEFF/, "").trim();
  if (!trimmed.startsWith("<")) {
    return fail(`expected arXiv Atom XML, got text starting "${trimmed.slice(0, 40)}"`);
  }

  let doc: unknown;
  try {
    doc = parser.parse(trimmed);
  } catch (error) {
    return fail(`expected arXiv Atom XML, got malformed XML: ${(error as Error).message}`);
  }
  if (!isNode(doc) || !("feed" in doc)) return fail(`expected an Atom <feed>, got ${describeRoot(doc)}`);
  // The parser is lenient with unclosed tags, so a body cut off mid-transfer would otherwise pass as a shorter feed.
  const selfClosed = !isNode(doc.feed);
  if (!selfClosed && !/<\/(?:[\w-]+:)?feed>$/.test(trimmed)) {
    return fail("the arXiv Atom feed is cut short (no closing </feed>)");
  }

  const entries = list(isNode(doc.feed) ? doc.feed.entry : undefined);
  // arXiv reports bad queries as a feed with one entry titled "Error" whose summary is the message.
  const [first] = entries;
  if (entries.length === 1 && isNode(first) && text(first.title) === "Error") {
    return fail(`arXiv API error: ${foldWhitespace(text(first.summary)) || "no message"}`);
  }

  const papers: Paper[] = [];
  for (const [index, entry] of entries.entries()) {
    const paper = toPaper(entry, index);
    if (!paper.ok) return paper;
    papers.push(paper.value);
  }
  return ok(papers);
}

function toPaper(entry: unknown, index: number): Result<Paper> {
  const title = isNode(entry) ? foldWhitespace(text(entry.title)) : "";
  if (!isNode(entry) || !title) return fail(`arXiv feed entry ${index + 1} has no title`);

  const links = list(entry.link).filter(isNode);
  const absLink = links.find((link) => attr(link, "rel") === "alternate");
  const pdfLink = links.find(
    (link) => attr(link, "title") === "pdf" || attr(link, "type") === "application/pdf",
  );
  const primary = attr(entry.primary_category, "term");
  const terms = list(entry.category).map((category) => attr(category, "term"));
  const published = new Date(text(entry.published));

  return ok(
    makePaper({
      id: canonicalPaperId(text(entry.id), title),
      title,
      abstract: foldWhitespace(text(entry.summary)),
      authors: list(entry.author)
        .map((author) => foldWhitespace(text(isNode(author) ? author.name : author)))
        .filter(Boolean),
      publishedAt: Number.isNaN(published.getTime()) ? null : published,
      categories: [...new Set([primary, ...terms].filter((term): term is string => Boolean(term)))],
      absUrl: attr(absLink, "href"),
      pdfUrl: attr(pdfLink, "href"),
      source: "arxiv",
    }),
  );
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === "" ? [] : [value];
}

/** An element's text, whether the parser gave a bare string or an object with attributes and #text. */
function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (isNode(value) && typeof value["#text"] === "string") return value["#text"];
  return "";
}

function attr(node: unknown, name: string): string | null {
  const value = isNode(node) ? node[`@_${name}`] : undefined;
  return typeof value === "string" && value ? value : null;
}

function describeRoot(doc: unknown): string {
  const root = isNode(doc) ? Object.keys(doc).find((key) => !key.startsWith("?")) : undefined;
  return root ? `<${root}>` : "no XML elements";
}
