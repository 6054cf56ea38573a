import { describe, expect, it } from "vitest";
import type { PaperCard, Reply } from "../../src/core/reply.js";
import {
  cardEmbed,
  cut,
  headerMessage,
  inert,
  LIMITS,
  replyMessage,
  safeUrl,
} from "../../src/platforms/discord/render-embeds.js";
import { activeSyntax, expectWithinLimits, textsOf, unescapeMarkdown } from "./discord-checks.js";

const card = (overrides: Partial<PaperCard> = {}): PaperCard => ({
  id: "2401.00001",
  title: "Attention Is All You Need",
  url: "https://huggingface.co/papers/2401.00001",
  authors: "Ashish Vaswani, Noam Shazeer et al.",
  summary: "The Transformer relies entirely on attention.",
  hfUpvotes: 42,
  githubStars: null,
  codeUrl: "https://github.com/tensorflow/tensor2tensor",
  pdfUrl: null,
  votes: 0,
  ...overrides,
});

const reply = (overrides: Partial<Reply> = {}): Reply => ({
  visibility: "ephemeral",
  tone: "info",
  title: 'Papers on "attention"',
  papers: [card()],
  ...overrides,
});

const HOSTILE = "Ping @everyone and @here, <@123> <@!123> <@&456> <#789> [click](https://evil.example)";

describe("inert", () => {
  it("breaks every ping and mention so that no client reads it as one", () => {
    const text = inert(HOSTILE);
    expect(activeSyntax([text], () => false)).toEqual([]);
    expect(text).toContain("@\u200beveryone");
    expect(text).toContain("<\u200b@123>");
    expect(text).toContain("<\u200b@&456>");
    expect(text).toContain("<\u200b#789>");
    // The reader still sees the words.
    expect(unescapeMarkdown(text)).toBe(HOSTILE);
  });

  it("escapes every masked link, not only the first on a line", () => {
    const text = inert("See [the docs](https://docs.example) and [click](https://evil.example/x) now");
    expect(activeSyntax([text], () => false)).toEqual([]);
    expect(text).toBe("See \\[the docs\\](https://docs.example) and \\[click\\](https://evil.example/x) now");
  });

  it("escapes markdown, backslashes first, and drops control and format characters", () => {
    expect(inert("**bold** _it_ `code` ~~s~~ ||spoiler|| \\[x](y)")).toBe(
      "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~ \\|\\|spoiler\\|\\| \\\\\\[x\\](y)",
    );
    expect(inert("a\u202eb\u0000c\u200bd")).toBe("a b c d");
    expect(["# Heading", "- item", "1. first"].map(inert)).toEqual(["\\# Heading", "\\- item", "1\\. first"]);
    // Line breaks are the renderer's to make: one text is one line.
    expect(inert("one\ntwo")).toBe("one two");
  });
});

describe("cut", () => {
  it("keeps short text and ends cut text with an ellipsis within the limit", () => {
    expect(cut("short", 10)).toBe("short");
    expect(cut("x".repeat(300), 256)).toHaveLength(256);
    expect(cut("x".repeat(300), 256).endsWith("…")).toBe(true);
  });

  it("never splits a surrogate pair or leaves an escaping backslash at the end", () => {
    const emoji = `${"a".repeat(254)}😀bbb`;
    const cutEmoji = cut(emoji, 256);
    expect(cutEmoji).toBe(`${"a".repeat(254)}…`);
    expect(cutEmoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    const escaped = cut(`${"a".repeat(254)}\\*tail`, 256);
    expect(escaped).toBe(`${"a".repeat(254)}…`);
    const pair = cut(`${"a".repeat(253)}\\\\tail`, 256);
    expect(pair).toBe(`${"a".repeat(253)}\\\\…`);
  });
});

describe("safeUrl", () => {
  it("links only http and https", () => {
    expect(safeUrl("https://arxiv.org/abs/2401.00001")).toBe("https://arxiv.org/abs/2401.00001");
    expect(safeUrl("http://example.org/a")).toBe("http://example.org/a");
    for (const unsafe of [
      "javascript:alert(1)",
      "JavaScript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "file:///etc/passwd",
      "vbscript:msgbox(1)",
      "ftp://example.org/x",
      "//evil.example/x",
      "not a url",
      "",
      null,
    ]) {
      expect(safeUrl(unsafe), String(unsafe)).toBeUndefined();
    }
  });

  it("refuses credentials and encodes what could end a masked link", () => {
    expect(safeUrl("https://huggingface.co@evil.example/papers")).toBeUndefined();
    expect(safeUrl("https://github.com/acme/x)[click](https://evil.example/y")).toBe(
      "https://github.com/acme/x%29%5Bclick%5D%28https://evil.example/y",
    );
    expect(safeUrl("http://[::1]:8080/a(b)")).toBe("http://[::1]:8080/a%28b%29");
  });
});

describe("cardEmbed", () => {
  it("renders a paper: escaped title, its link, authors, summary, code link and stats", () => {
    const embed = cardEmbed(card({ title: "LLM_s *fast*", votes: 3, githubStars: 7 }));
    expect(embed).toMatchObject({
      title: "LLM\\_s \\*fast\\*",
      url: "https://huggingface.co/papers/2401.00001",
      footer: { text: "▲ 42 on HF · +3 here · ★ 7" },
    });
    expect(embed.description).toBe(
      "*Ashish Vaswani, Noam Shazeer et al.*\nThe Transformer relies entirely on attention.\n[code](https://github.com/tensorflow/tensor2tensor)",
    );
  });

  it("makes a hostile paper inert and never links an unsafe URL", () => {
    const embed = cardEmbed(
      card({
        title: HOSTILE,
        authors: "Mallory @everyone, [Eve](https://evil.example)",
        summary: HOSTILE,
        url: "javascript:alert(document.cookie)",
        codeUrl: "https://github.com/acme/x)[click](https://evil.example/y",
      }),
    );
    expect(embed.url).toBeUndefined();
    expect(activeSyntax(textsOf(embed))).toEqual([]);
    expect(unescapeMarkdown(embed.title ?? "")).toBe(HOSTILE);
    expect(JSON.stringify(embed)).not.toContain("javascript:");
    const noCode = cardEmbed(card({ codeUrl: "javascript:alert(1)" }));
    expect(noCode.description).not.toContain("[code]");
  });

  it("keeps a 10 kB title, a 10 kB summary and long authors within Discord's limits", () => {
    const embed = cardEmbed(
      card({ title: "T*".repeat(5_000), summary: "S_".repeat(5_000), authors: "A|".repeat(5_000) }),
    );
    expect(embed.title?.length).toBeLessThanOrEqual(LIMITS.title);
    expect(embed.title?.endsWith("…")).toBe(true);
    expect(embed.description?.length).toBeLessThanOrEqual(LIMITS.description);
    expectWithinLimits({ embeds: [embed] });
  });
});

describe("replyMessage", () => {
  it("never pings: allowedMentions parse [] on every message", () => {
    expect(replyMessage(reply()).allowedMentions).toEqual({ parse: [] });
    expect(
      headerMessage({ title: "Today's papers", localDate: "2025-01-06", count: 1 }).allowedMentions,
    ).toEqual({
      parse: [],
    });
  });

  it("keeps ten papers of huge text within 10 embeds and 6000 characters", () => {
    const papers = Array.from({ length: 12 }, (_, i) =>
      card({
        id: `p${i}`,
        title: `${i} ${"t".repeat(10_000)}`,
        summary: "s".repeat(10_000),
        authors: "a".repeat(500),
      }),
    );
    const message = replyMessage(reply({ papers }));
    expect(message.embeds.length).toBeGreaterThan(1);
    expect(message.embeds.length).toBeLessThan(LIMITS.embeds);
    expectWithinLimits(message);
    const many = replyMessage(reply({ papers: Array.from({ length: 12 }, (_, i) => card({ id: `q${i}` })) }));
    expect(many.embeds).toHaveLength(LIMITS.embeds);
  });

  it("shortens an answer too long on its own instead of sending no embed at all", () => {
    const message = replyMessage(
      reply({ papers: [card()], lines: ["x".repeat(10_000)], footer: "f".repeat(3_000) }),
    );
    expect(message.embeds).toHaveLength(1);
    expect(message.embeds[0]?.description?.endsWith("…")).toBe(true);
    expectWithinLimits(message);
  });

  it("escapes the reply's title and lines, which can carry what a user typed", () => {
    const message = replyMessage(
      reply({ title: `Papers on "${HOSTILE}"`, lines: [HOSTILE], papers: [], footer: "Also searched: x" }),
    );
    expect(activeSyntax(textsOf(message.embeds))).toEqual([]);
  });

  it("links related papers only to safe URLs, and never to `undefined`", () => {
    const message = replyMessage(
      reply({
        papers: [],
        lines: ["One paper"],
        related: [
          card({ title: "Safe one", url: "https://arxiv.org/abs/2401.00002" }),
          card({ title: "Unsafe one", url: "javascript:alert(1)" }),
        ],
      }),
    );
    const description = message.embeds[0]?.description ?? "";
    expect(description).toContain("• [Safe one](https://arxiv.org/abs/2401.00002)");
    expect(description).toContain("• Unsafe one");
    expect(description).not.toContain("undefined");
    expect(description).not.toContain("javascript:");
  });

  it("offers a Share button for ephemeral answers only, within the custom_id limit", () => {
    const shared = replyMessage(reply({ shareCommand: "attention" }));
    expect(JSON.stringify(shared.components)).toContain('"custom_id":"paperboy_share:attention"');
    expect(
      replyMessage(reply({ visibility: "channel", shareCommand: "attention" })).components,
    ).toBeUndefined();
    expect(replyMessage(reply({ shareCommand: "x".repeat(100) })).components).toBeUndefined();
  });
});

describe("headerMessage", () => {
  it("escapes the title and stays within 2000 characters", () => {
    const header = headerMessage({
      title: `@everyone ${"x".repeat(3_000)}`,
      localDate: "2025-01-06",
      count: 2,
    });
    expect(header.content?.length).toBeLessThanOrEqual(LIMITS.content);
    expect(activeSyntax([header.content ?? ""])).toEqual([]);
    expect(header.embeds).toEqual([]);
    const short = headerMessage({ title: "Today's papers · 2025-01-06", localDate: "2025-01-06", count: 1 });
    expect(short.content).toMatch(/^📰 \*\*Today's papers · 2025-01-06\*\* · 1 new paper\n/);
  });
});
