import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Reply } from "../../src/core/reply.js";
import { safeUrl } from "../../src/platforms/slack/escape-mrkdwn.js";
import {
  type Block,
  cardBlocks,
  fallbackText,
  headerBlocks,
  LIMITS,
  replyBlocks,
} from "../../src/platforms/slack/render-blocks.js";
import { threadReplyBlocks } from "../../src/platforms/slack/render-thread-blocks.js";
import { activeSyntax, expectWithinLimits, payloadTexts, textsOf } from "../slack/block-checks.js";
import { anyCard, anyHeader, anyReply, isWellFormed, NUM_RUNS, REPLY_RUNS, urlsOf } from "./hostile-text.js";

/**
 * What Slack would get, checked: its limits (the context limit is 2000 a text, stricter than
 * expectWithinLimits), no text that is only blank, valid UTF-16, and no mention or link but those to
 * the reply's own URLs, made safe.
 */
function expectSafePayload(blocks: Block[], text: string, allowedUrls: string[]): void {
  expectWithinLimits(blocks);
  const allowed = new Set(allowedUrls.map(safeUrl).filter(Boolean));
  for (const block of blocks) {
    if (block.type === "context") {
      for (const element of block.elements) expect(element.text.length).toBeLessThanOrEqual(LIMITS.context);
    }
    for (const element of block.elements ?? []) {
      if (element.value !== undefined) expect(element.value.length).toBeLessThanOrEqual(LIMITS.buttonValue);
    }
  }
  for (const t of textsOf(blocks)) expect(t.text.trim(), t.where).not.toBe("");
  const texts = payloadTexts({ text, blocks });
  for (const t of texts) expect(isWellFormed(t), t.slice(0, 80)).toBe(true);
  expect(activeSyntax(texts, (url) => allowed.has(url))).toEqual([]);
}

describe("Slack renderers on hostile replies", () => {
  it("replyBlocks and fallbackText stay within Slack's limits and leave nothing active", () => {
    fc.assert(
      fc.property(anyReply, (reply) => {
        expectSafePayload(replyBlocks(reply), fallbackText(reply), urlsOf(reply));
        expect(fallbackText(reply).length).toBeLessThanOrEqual(3000);
      }),
      { numRuns: REPLY_RUNS },
    );
  });

  it("threadReplyBlocks does the same for briefings and thread answers", () => {
    fc.assert(
      fc.property(anyReply, (reply) => {
        expectSafePayload(threadReplyBlocks(reply), fallbackText(reply), urlsOf(reply));
      }),
      { numRuns: REPLY_RUNS },
    );
  });

  it("cardBlocks renders any paper card (a digest post) safely", () => {
    fc.assert(
      fc.property(anyCard, fc.option(fc.constantFrom("1", "10")), (card, label) => {
        const reply: Reply = { visibility: "channel", tone: "info", title: card.title, papers: [card] };
        expectSafePayload(cardBlocks(card, label ?? undefined), fallbackText(reply), urlsOf(reply));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("headerBlocks renders any digest title safely", () => {
    fc.assert(
      fc.property(anyHeader, (header) => {
        expectSafePayload(headerBlocks(header), "digest", []);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
