import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Reply } from "../../src/core/reply.js";
import {
  cardEmbed,
  headerMessage,
  type MessageJson,
  replyMessage,
  safeUrl,
} from "../../src/platforms/discord/render-embeds.js";
import { threadReplyMessage } from "../../src/platforms/discord/render-thread-message.js";
import { activeSyntax, expectWithinLimits, textsOf } from "../discord/discord-checks.js";
import { anyCard, anyHeader, anyReply, isWellFormed, NUM_RUNS, REPLY_RUNS, urlsOf } from "./hostile-text.js";

/**
 * What Discord would get, checked: its limits, no pings (allowedMentions empty, and no mention syntax
 * in any text), valid UTF-16, and masked links only to the reply's own URLs, made safe.
 */
function expectSafeMessage(message: MessageJson, allowedUrls: string[]): void {
  expectWithinLimits(message);
  expect(message.allowedMentions).toEqual({ parse: [] });
  const allowed = new Set(allowedUrls.map(safeUrl).filter(Boolean));
  for (const embed of message.embeds) {
    if (embed.url !== undefined) expect(allowed.has(embed.url), embed.url).toBe(true);
    if (embed.footer) expect(embed.footer.text.trim()).not.toBe("");
  }
  const texts = textsOf({ content: message.content, embeds: message.embeds });
  for (const text of texts) expect(isWellFormed(text), text.slice(0, 80)).toBe(true);
  expect(activeSyntax(texts, (url) => allowed.has(url))).toEqual([]);
}

describe("Discord renderers on hostile replies", () => {
  it("replyMessage stays within Discord's limits and leaves nothing active", () => {
    fc.assert(
      fc.property(anyReply, (reply) => {
        const message = replyMessage(reply);
        expectSafeMessage(message, urlsOf(reply));
        // The answer itself always shows, however long the papers after it.
        expect(message.embeds.length).toBeGreaterThan(0);
      }),
      { numRuns: REPLY_RUNS },
    );
  });

  it("threadReplyMessage does the same for briefings and thread answers", () => {
    fc.assert(
      fc.property(anyReply, (reply) => expectSafeMessage(threadReplyMessage(reply), urlsOf(reply))),
      { numRuns: REPLY_RUNS },
    );
  });

  it("cardEmbed renders any paper card (a digest post) safely", () => {
    fc.assert(
      fc.property(anyCard, (card) => {
        const reply: Reply = { visibility: "channel", tone: "info", title: card.title, papers: [card] };
        expectSafeMessage({ embeds: [cardEmbed(card)], allowedMentions: { parse: [] } }, urlsOf(reply));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("headerMessage renders any digest title safely", () => {
    fc.assert(
      fc.property(anyHeader, (header) => expectSafeMessage(headerMessage(header), [])),
      { numRuns: NUM_RUNS },
    );
  });
});
