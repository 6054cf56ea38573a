import { makePaper, type Paper } from "../../core/paper.js";
import { canonicalPaperId, parseArxivId } from "../../core/paper-id.js";
import { fail, ok, type Result } from "../../core/result.js";
import { foldWhitespace } from "../fold-whitespace.js";

// What a copy-paste of a papers page carries besides the papers: headers, dates, buttons, counts.
const CHROME = [
  /^(?:new|subscribe|previous|next|prev|daily papers|trending|view all|load more|show more|upvote|search)$/i,
  /^get trending papers in your email inbox!?$/i,
  /^by\s*ak and the research community$/i,
  /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:,?\s+\d{4})?$/i,
  /^\d{4}-\d{2}-\d{2}$/,
  /^(?:submitted by|published on|featured in|upvoted by)\b/i,
  /^[\d.,]+\s*k?(?:\s+(?:upvotes?|comments?|authors?|stars?))?$/i,
  /^[^\p{L}\p{N}]*$/u,
];
// Where arXiv ids show up in pasted text: arxiv.org and HF paper URLs, "arXiv:ID", or an id on its own.
const ID_MENTION =
  /(?:arxiv\.org\/(?:abs|pdf)\/|huggingface\.co\/papers\/|arxiv:\s*)([\w.\-/]+)|^(\d{4}\.\d{4,5}(?:v\d+)?)$/gim;
const ID_ONLY = /^\(?\s*(?:arxiv:\s*\S+|https?:\/\/\S+|\d{4}\.\d{4,5}(?:v\d+)?)\s*\)?$/i;
const ID_IN_TITLE = /\(?\s*(?:arxiv:\s*\S+|https?:\/\/\S+)\s*\)?/gi;

const MIN_ABSTRACT_CHARS = 200;
const MAX_TITLE_CHARS = 300;

/**
 * Papers from a copy-pasted web page: a short title paragraph, then a long abstract paragraph, with page
 * chrome anywhere in between. Ids come from arXiv/HF links or "arXiv:" mentions near the title, else
 * from the title itself.
 */
export function parseTextPage(text: string): Result<Paper[]> {
  const normalized = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const paragraphs = nonEmpty(normalized.split(/\n[ \t]*\n/));
  let papers = extract(paragraphs);
  // Some browsers paste without blank lines between blocks; then each line is its own paragraph.
  if (papers.length === 0) papers = extract(nonEmpty(normalized.split("\n")));
  if (papers.length > 0) return ok(papers);
  return fail(
    `no papers found in ${paragraphs.length} paragraph(s) of text: expected a title paragraph followed by ` +
      `an abstract paragraph of at least ${MIN_ABSTRACT_CHARS} characters`,
  );
}

function nonEmpty(parts: string[]): string[] {
  return parts.map((part) => part.trim()).filter(Boolean);
}

function extract(paragraphs: string[]): Paper[] {
  const papers: Paper[] = [];
  let block: string[] = [];
  for (const paragraph of paragraphs) {
    if (!isAbstract(paragraph)) {
      block.push(paragraph);
      continue;
    }
    const title = [...block].reverse().find(isTitle);
    if (title) papers.push(toPaper(title, paragraph, block));
    block = [];
  }
  return papers;
}

function toPaper(rawTitle: string, rawAbstract: string, block: string[]): Paper {
  const title = foldWhitespace(rawTitle.replace(ID_IN_TITLE, " ").replace(/^title:\s*/i, ""));
  const arxivId = block.flatMap(idMentions).find((id) => id !== null) ?? null;
  return makePaper({
    id: canonicalPaperId(arxivId, title),
    title,
    abstract: foldWhitespace(rawAbstract.replace(/^abstract[:.]?\s+/i, "")),
    absUrl: arxivId ? `https://arxiv.org/abs/${arxivId}` : null,
    pdfUrl: arxivId ? `https://arxiv.org/pdf/${arxivId}` : null,
    source: "file",
  });
}

function idMentions(paragraph: string): (string | null)[] {
  return [...paragraph.matchAll(ID_MENTION)].map((match) => parseArxivId(match[1] ?? match[2] ?? ""));
}

function isAbstract(paragraph: string): boolean {
  const folded = foldWhitespace(paragraph);
  const sentences = folded.match(/[.!?](?:\s|$)/g)?.length ?? 0;
  return folded.length >= MIN_ABSTRACT_CHARS && (sentences >= 2 || folded.length > 2 * MIN_ABSTRACT_CHARS);
}

function isTitle(paragraph: string): boolean {
  const folded = foldWhitespace(paragraph);
  return (
    paragraph.split("\n").length <= 3 &&
    folded.length <= MAX_TITLE_CHARS &&
    !ID_ONLY.test(folded) &&
    !CHROME.some((pattern) => pattern.test(folded))
  );
}
