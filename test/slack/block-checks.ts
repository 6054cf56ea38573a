import { expect } from "vitest";

// biome-ignore lint/suspicious/noExplicitAny: Block Kit arrives as plain JSON.
export type Block = Record<string, any>;

/** Every text Slack would render from a list of blocks, with where it sits. */
export function textsOf(blocks: Block[]): { where: string; type: string; text: string }[] {
  const out: { where: string; type: string; text: string }[] = [];
  for (const [i, block] of blocks.entries()) {
    if (block.text) out.push({ where: `${i}:${block.type}`, type: block.text.type, text: block.text.text });
    for (const field of block.fields ?? [])
      out.push({ where: `${i}:field`, type: field.type, text: field.text });
    for (const element of block.elements ?? []) {
      if (typeof element.text === "string")
        out.push({ where: `${i}:element`, type: element.type, text: element.text });
      else if (element.text)
        out.push({ where: `${i}:element`, type: element.text.type, text: element.text.text });
    }
  }
  return out;
}

/** Slack's published limits: 50 blocks, 3000 characters a section text, 150 a header, nothing empty. */
export function expectWithinLimits(blocks: Block[]): void {
  expect(Array.isArray(blocks)).toBe(true);
  expect(blocks.length).toBeGreaterThan(0);
  expect(blocks.length).toBeLessThanOrEqual(50);
  for (const block of blocks) {
    if (block.type === "section") expect(block.text.text.length).toBeLessThanOrEqual(3000);
    if (block.type === "header") expect(block.text.text.length).toBeLessThanOrEqual(150);
    if (block.type === "context") {
      expect(block.elements.length).toBeLessThanOrEqual(10);
      for (const element of block.elements) expect(element.text.length).toBeLessThanOrEqual(3000);
    }
  }
  for (const { text } of textsOf(blocks)) expect(text.length).toBeGreaterThan(0);
}

const unescapeMrkdwn = (text: string) =>
  text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/**
 * The titles of the paper cards in a reply, as the reader sees them: the bold first line of each
 * section, `N. *<url|title>*` or `*title*` when the paper has no safe link.
 */
export function cardTitles(blocks: Block[]): string[] {
  const titles: string[] = [];
  for (const block of blocks) {
    if (block.type !== "section") continue;
    const first = String(block.text.text).split("\n")[0] ?? "";
    const bold = /^(?:\d+\. )?\*(.*)\*$/.exec(first)?.[1];
    if (bold === undefined) continue;
    const link = /^<[^|>]*\|(.*)>$/.exec(bold);
    titles.push(unescapeMrkdwn(link ? (link[1] ?? "") : bold));
  }
  return titles;
}

/**
 * The `<…>` sequences Slack would act on (mentions, channel and special mentions, links) in a JSON
 * payload's rendered texts, except links to `allowed` URLs.
 */
export function activeSyntax(texts: string[], allowed: (url: string) => boolean): string[] {
  const found: string[] = [];
  for (const text of texts) {
    for (const match of text.matchAll(/<([^>]*)>/g)) {
      const inner = match[1] ?? "";
      const url = /^(https?:\/\/[^|\s]+)(\|[^<]*)?$/.exec(inner)?.[1];
      if (url && allowed(url)) continue;
      found.push(match[0]);
    }
  }
  return found;
}

/** The message texts of a chat.postMessage or response_url body: the fallback text and every block text. */
export function payloadTexts(body: Record<string, unknown>): string[] {
  const blocks = Array.isArray(body.blocks) ? (body.blocks as Block[]) : [];
  return [String(body.text ?? ""), ...textsOf(blocks).map((t) => t.text)];
}
