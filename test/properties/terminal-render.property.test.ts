import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  PLAIN,
  renderCard,
  renderReply,
  renderThreadReply,
} from "../../src/platforms/terminal/render-text.js";
import { anyCard, anyReply, NUM_RUNS, REPLY_RUNS } from "./hostile-text.js";

/** Control and format characters other than the renderer's own line breaks: what a terminal would obey. */
const controls = (text: string) =>
  [...text.matchAll(/[\p{Cc}\p{Cf}]/gu)].map((m) => m[0]).filter((c) => c !== "\n");

describe("terminal renderer on hostile papers", () => {
  it("prints no control character from a paper's text or URLs (no escape sequence reaches the terminal)", () => {
    const card = {
      ...fc.sample(anyCard, { numRuns: 1, seed: 1 })[0],
      codeUrl: "https://github.com/x\u001b]8;;https://evil\u0007CLICK\u001b]8;;\u0007\u001b[2J",
      url: "https://arxiv.org/abs/1\u001b[1A",
    } as Parameters<typeof renderCard>[0];
    expect(controls(renderCard(card, PLAIN))).toEqual([]);
    fc.assert(
      fc.property(anyCard, (any) => {
        expect(controls(renderCard(any, PLAIN))).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("the same for whole replies and thread replies (briefings, related papers, links)", () => {
    fc.assert(
      fc.property(anyReply, (reply) => {
        expect(controls(renderReply(reply, PLAIN))).toEqual([]);
        expect(controls(renderThreadReply(reply, PLAIN))).toEqual([]);
      }),
      { numRuns: REPLY_RUNS },
    );
  });
});
