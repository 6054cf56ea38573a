import { describe, expect, it } from "vitest";
import type { PaperCard, Reply } from "../../src/core/reply.js";
import { escapeMrkdwn, fitText, mrkdwnLink, safeUrl } from "../../src/platforms/slack/escape-mrkdwn.js";
import {
  cardBlocks,
  fallbackText,
  headerBlocks,
  LIMITS,
  replyBlocks,
  SHARE_ACTION,
} from "../../src/platforms/slack/render-blocks.js";
import { activeSyntax, type Block, cardTitles, expectWithinLimits, textsOf } from "./block-checks.js";

function card(overrides: Partial<PaperCard> = {}): PaperCard {
  return {
    id: "2401.00001",
    title: "Attention Is All You Need",
    url: "https://huggingface.co/papers/2401.00001",
    authors: "A. Vaswani, N. Shazeer, N. Parmar et al.",
    summary: "The Transformer, a model built on attention alone.",
    hfUpvotes: 42,
    githubStars: 1200,
    codeUrl: "https://github.com/example/transformer",
    pdfUrl: "https://arxiv.org/pdf/2401.00001",
    votes: 3,
    ...overrides,
  };
}

const search = (papers: PaperCard[], extra: Partial<Reply> = {}): Reply => ({
  visibility: "ephemeral",
  tone: "info",
  title: 'Papers on "attention"',
  papers,
  shareCommand: "attention",
  ...extra,
});

/** `<…>` sequences that are not links to the given hosts. */
const active = (blocks: Block[], hosts = /^https:\/\/(huggingface\.co|arxiv\.org|github\.com)\//) =>
  activeSyntax(
    textsOf(blocks).map((t) => t.text),
    (url) => hosts.test(url),
  );

/** Every `<` opens a link that closes before the text ends; every `&` starts a whole entity. */
function expectWellFormed(text: string): void {
  let depth = 0;
  for (const ch of text) {
    if (ch === "<") depth++;
    if (ch === ">") depth--;
    expect(depth === 0 || depth === 1, text).toBe(true);
  }
  expect(depth, text).toBe(0);
  for (const match of text.matchAll(/&[^;\s]*;?/g)) expect(match[0]).toMatch(/^&(amp|lt|gt);$/);
}

describe("escapeMrkdwn", () => {
  it("escapes &, < and > as Slack asks, in that order", () => {
    expect(escapeMrkdwn("a & b < c > d")).toBe("a &amp; b &lt; c &gt; d");
    expect(escapeMrkdwn("&lt;")).toBe("&amp;lt;");
    expect(escapeMrkdwn("<!channel> <@U123> <#C1|x> <!subteam^S1>")).toBe(
      "&lt;!channel&gt; &lt;@U123&gt; &lt;#C1|x&gt; &lt;!subteam^S1&gt;",
    );
  });

  it("drops control and bidi-override characters", () => {
    expect(escapeMrkdwn("a\u0000b\u202Ec\nd")).toBe("a b c d");
  });
});

describe("safeUrl and mrkdwnLink", () => {
  it("links only http and https", () => {
    for (const url of [
      "javascript:alert(1)",
      " JavaScript:alert(1)",
      "\tjavascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "file:///etc/passwd",
      "slack://open",
      "not a url",
      "",
    ]) {
      expect(safeUrl(url), url).toBeNull();
      expect(mrkdwnLink(url, "PDF"), url).toBe("PDF");
    }
    expect(mrkdwnLink(null, "a <b>")).toBe("a &lt;b&gt;");
    expect(safeUrl("https://arxiv.org/abs/2401.00001")).toBe("https://arxiv.org/abs/2401.00001");
  });

  it("keeps characters that would end the link out of the URL, and escapes the label", () => {
    const link = mrkdwnLink("https://x.example/a|b>c<d", "<!channel> & co");
    expect(link).toBe("<https://x.example/a%7Cb%3Ec%3Cd|&lt;!channel&gt; &amp; co>");
    expectWellFormed(link);
  });
});

describe("fitText", () => {
  it("leaves short text alone and cuts long text at a word, with an ellipsis, within the budget", () => {
    expect(fitText("short", 10)).toBe("short");
    const cut = fitText("word ".repeat(1000), 3000);
    expect(cut.length).toBeLessThanOrEqual(3000);
    expect(cut.endsWith("word…")).toBe(true);
  });

  it("never cuts an escape or a link in half", () => {
    for (let n = 2990; n < 3010; n++) {
      const text = `${"x".repeat(n)} &amp; <https://arxiv.org/abs/1|label> &lt;y&gt;`;
      const cut = fitText(text, 3000);
      expect(cut.length).toBeLessThanOrEqual(3000);
      expectWellFormed(cut);
    }
  });
});

describe("cardBlocks", () => {
  it("renders a card as a linked title with authors and summary, and its numbers", () => {
    const [main, numbers, ...rest] = cardBlocks(card(), "1");
    expect(rest).toEqual([]);
    expect(main?.text.text).toBe(
      "1. *<https://huggingface.co/papers/2401.00001|Attention Is All You Need>*\n_A. Vaswani, N. Shazeer, N. Parmar et al._\nThe Transformer, a model built on attention alone.",
    );
    expect(numbers?.elements[0].text).toBe(
      "▲ 42 on HF  ·  +3 in this channel  ·  <https://github.com/example/transformer|code> ★ 1200  ·  <https://arxiv.org/pdf/2401.00001|PDF>",
    );
  });

  it("makes every mention and link in the paper's own text inert", () => {
    const hostile = card({
      title: "T <!channel> <@U123> <https://evil.example|click>",
      authors: "Eve <!here>",
      summary: "S <!everyone> & <#C1>",
    });
    const blocks = cardBlocks(hostile);
    expect(active(blocks)).toEqual([]);
    expect(cardTitles(blocks)).toEqual([hostile.title]);
    const text = blocks[0]?.text.text as string;
    expect(text).toContain("&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt;");
    expect(text).toContain("Eve &lt;!here&gt;");
    expect(text).toContain("S &lt;!everyone&gt; &amp; &lt;#C1&gt;");
  });

  it("never links a javascript: URL, neither the title nor code nor PDF", () => {
    const blocks = cardBlocks(
      card({ url: "javascript:alert(1)", codeUrl: "javascript:alert(2)", pdfUrl: "data:text/html,x" }),
    );
    const json = JSON.stringify(blocks);
    expect(json).not.toMatch(/javascript:|data:/);
    expect(cardTitles(blocks)).toEqual(["Attention Is All You Need"]);
    expect(active(blocks)).toEqual([]);
    // An unlinked "code" or "PDF" would be a label that goes nowhere.
    expect(JSON.stringify(blocks[1] ?? {})).not.toMatch(/code|PDF/);
  });

  it("shows a 10 kB title cut to fit, still as its title, with the card's other lines", () => {
    const title = `${"Scaling Laws for Very Long Titles ".repeat(300)}`.trim();
    expect(title.length).toBeGreaterThan(10_000);
    // What core/paper-card.ts builds for a paper without an arXiv id: a search URL holding the whole title.
    const long = card({ title, url: `https://huggingface.co/papers?q=${encodeURIComponent(title)}` });
    const blocks = cardBlocks(long);
    expectWithinLimits(blocks);
    const text = blocks[0]?.text.text as string;
    expectWellFormed(text);
    const [shown] = cardTitles(blocks);
    expect(shown?.startsWith("Scaling Laws for Very Long Titles Scaling")).toBe(true);
    expect(shown?.endsWith("…")).toBe(true);
    expect(text).toContain("_A. Vaswani, N. Shazeer, N. Parmar et al._");
    expect(text).toContain("The Transformer, a model built on attention alone.");
  });

  it("keeps within 3000 characters when every field is long and full of characters to escape", () => {
    const blocks = cardBlocks(
      card({ title: "<&>".repeat(4000), authors: "&".repeat(4000), summary: "<".repeat(4000) }),
    );
    expectWithinLimits(blocks);
    expectWellFormed(blocks[0]?.text.text as string);
    expect(cardTitles(blocks)[0]).toMatch(/^<&><&>/);
  });
});

describe("replyBlocks", () => {
  it("ends an ephemeral answer with the Share in channel button carrying its command", () => {
    const blocks = replyBlocks(search([card(), card({ id: "2", title: "Second" })]));
    expectWithinLimits(blocks);
    expect(blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: 'Papers on "attention"' },
    });
    expect(cardTitles(blocks)).toEqual(["Attention Is All You Need", "Second"]);
    expect(blocks.at(-1)).toEqual({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: SHARE_ACTION,
          text: { type: "plain_text", text: "Share in channel" },
          value: "attention",
        },
      ],
    });
    expect(replyBlocks(search([card()], { visibility: "channel" })).some((b) => b.type === "actions")).toBe(
      false,
    );
  });

  it("stays within 50 blocks however many papers, and the button survives the cut", () => {
    const many = Array.from({ length: 60 }, (_, i) => card({ id: String(i), title: `Paper ${i}` }));
    const blocks = replyBlocks(search(many, { footer: "Also searched: x", lines: ["a line"] }));
    expect(blocks).toHaveLength(LIMITS.blocks);
    expectWithinLimits(blocks);
    expect(blocks.at(-1)?.type).toBe("actions");
  });

  it("cuts a long header to 150 characters and long lines to 3000", () => {
    const blocks = replyBlocks({
      visibility: "ephemeral",
      tone: "info",
      title: "T".repeat(500),
      lines: Array.from({ length: 200 }, () => "a line of text & more <stuff>"),
    });
    expectWithinLimits(blocks);
    expect(blocks[0]?.text.text.length).toBeLessThanOrEqual(150);
    expectWellFormed(blocks[1]?.text.text as string);
  });

  it("escapes lines, footers and related papers", () => {
    const blocks = replyBlocks({
      visibility: "ephemeral",
      tone: "info",
      title: "Detail",
      papers: [card()],
      lines: ["<!channel> line"],
      related: [card({ title: "Related <@U1>", url: "javascript:x" })],
      footer: "<!here> footer",
    });
    expectWithinLimits(blocks);
    expect(active(blocks)).toEqual([]);
    expect(JSON.stringify(blocks)).not.toContain("javascript:");
  });

  it("has a header even for an empty title, and the fallback text is escaped", () => {
    expect(replyBlocks({ visibility: "ephemeral", tone: "info", title: "" })[0]?.text.text).toBe("paperboy");
    expect(fallbackText(search([card({ title: "<!channel> one" })]))).toBe("&lt;!channel&gt; one");
    expect(fallbackText(search([card(), card()]))).toBe('Papers on "attention"');
  });
});

describe("headerBlocks", () => {
  it("announces the digest with the count and how to vote", () => {
    const blocks = headerBlocks({ title: "Today's papers · 2026-03-11", localDate: "2026-03-11", count: 1 });
    expectWithinLimits(blocks);
    expect(blocks[0]?.text.text).toBe("📰 Today's papers · 2026-03-11");
    expect(blocks[1]?.elements[0].text).toMatch(/^1 new paper · react/);
  });
});
