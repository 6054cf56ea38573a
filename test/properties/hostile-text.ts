import fc from "fast-check";
import type { DigestHeader } from "../../src/core/chat-platform.js";
import type { Briefing, PaperCard, Reply } from "../../src/core/reply.js";

/** Chat syntax that pings or links when it reaches Slack or Discord unescaped. */
export const CHAT_SYNTAX = [
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "<@U1>",
  "<@U0ADMIN|ada>",
  "<#C1>",
  "<#C1|general>",
  "<!subteam^S1>",
  "<!date^1392734382^{date}|x>",
  "<https://x|y>",
  "<https://evil.example/a|click>",
  "<mailto:a@b.c|mail>",
  "@everyone",
  "@here",
  "<@123>",
  "<@!123>",
  "<@&1>",
  "<#1>",
  "</cmd:1>",
  "</papers search:123456>",
  "[x](https://evil)",
  "[click](<https://evil.example>)",
  "[[x]](https://evil)",
  "\\[x](https://evil)",
  "\\\\[x](https://evil)",
  "<t:1:R>",
  "<:emoji:1>",
  "<a:emoji:1>",
];

/** Markdown of both platforms, and what a database or query parser reads specially. */
const MARKUP = [
  "*bold*",
  "_it_",
  "~strike~",
  "`code`",
  "```block```",
  "> quote",
  "# heading",
  "- item",
  "1. item",
  "||spoiler||",
  "\\",
  "\\\\",
  "&amp;",
  "&lt;",
  "&",
  "<",
  ">",
  "|",
  "'",
  '"',
  ";",
  "--",
  "' or 1=1 --",
  "'; drop table papers; --",
  "&",
  "!",
  ":*",
  "<->",
  "<2>",
  "a & !b | c:*",
  "(",
  ")",
  "%",
  "_",
  "$1",
  "\\x00",
  "e'\\\\'",
];

/** Characters that break naive handling: controls, bidi and zero-width marks, lone surrogates, NUL. */
const ODD_CHARS = [
  "\u0000",
  "\u0007",
  "\u001b[31m",
  "\r\n",
  "\t",
  "\u0085",
  "\u200b",
  "\u200d",
  "\u200e",
  "\u200f",
  "\u202e",
  "\u2066",
  "\ufeff",
  "\ud800",
  "\udfff",
  "\udbff\udfff",
  "😀",
  "👍🏽",
  "e\u0301",
  "ﷺ",
  "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
  "𝕏",
];

/** Any single UTF-16 unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));

const fragment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...CHAT_SYNTAX) },
  { weight: 3, arbitrary: fc.constantFrom(...MARKUP) },
  { weight: 3, arbitrary: fc.constantFrom(...ODD_CHARS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }) },
  { weight: 2, arbitrary: fc.string({ unit: codeUnit, maxLength: 8 }) },
  { weight: 2, arbitrary: fc.constantFrom(" ", "  ", "\n", "compression", "attention", "show", "top") },
);

/** Text mixing every kind of hostile fragment, short. */
export const hostileText = fc.array(fragment, { maxLength: 24 }).map((parts) => parts.join(""));

/** Hostile text, sometimes long: a fragment repeated past 10 kB. */
export const anyText = fc.oneof(
  { weight: 6, arbitrary: hostileText },
  {
    weight: 1,
    arbitrary: fc
      .tuple(hostileText, fc.integer({ min: 200, max: 2_000 }))
      .map(([text, times]) => (text || "<!channel> ").repeat(times).slice(0, 12_000)),
  },
  { weight: 1, arbitrary: fc.string({ unit: codeUnit, minLength: 10_000, maxLength: 10_500 }) },
);

/** URLs, good and bad: safe links, other schemes, syntax that would end a link, very long ones. */
export const anyUrl = fc.oneof(
  fc.constantFrom(
    "https://huggingface.co/papers/2401.00001",
    "https://arxiv.org/abs/2401.00001",
    "https://github.com/example/repo",
    "javascript:alert(1)",
    " JavaScript:alert(1)",
    "data:text/html,<script>",
    "https://user:pass@evil.example/",
    "https://x|y>",
    "https://evil.example/a)[b](https://evil2",
    "https://evil.example/<!channel>",
    "https://arxiv.org/abs/1|<@U1>",
    "http://[::1]/",
    "",
    "not a url",
    `https://arxiv.org/abs/${"a".repeat(5000)}`,
  ),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  hostileText.map((t) => `https://arxiv.org/abs/${t}`),
  anyText,
);

export const NUM_RUNS = 300;

/** Fewer runs for whole replies: each holds up to 30 cards of up to 10 kB fields (tens of ms to render). */
export const REPLY_RUNS = 150;

/** A paper card whose every text and URL is hostile. */
export const anyCard: fc.Arbitrary<PaperCard> = fc.record({
  id: fc.oneof(fc.constantFrom("2401.00001", "t:0123456789abcdef"), hostileText),
  title: anyText,
  url: anyUrl,
  authors: anyText,
  summary: anyText,
  hfUpvotes: fc.option(fc.integer(), { nil: null }),
  githubStars: fc.option(fc.integer(), { nil: null }),
  codeUrl: fc.option(anyUrl, { nil: null }),
  pdfUrl: fc.option(anyUrl, { nil: null }),
  votes: fc.integer({ min: -1_000_000, max: 1_000_000 }),
});

export const anyBriefing: fc.Arbitrary<Briefing> = fc.record({
  paperId: hostileText,
  title: anyText,
  points: fc.array(
    fc.record({ label: fc.constantFrom("What" as const, "How" as const, "Result" as const), text: anyText }),
    { maxLength: 3 },
  ),
  basis: anyText,
  keywords: fc.array(anyText, { maxLength: 12 }),
  links: fc.array(fc.record({ label: anyText, url: anyUrl }), { maxLength: 5 }),
  related: fc.array(anyCard, { maxLength: 5 }),
  question: anyText,
});

/** Any reply a command or thread could produce, with hostile text in every field. */
export const anyReply: fc.Arbitrary<Reply> = fc.record(
  {
    visibility: fc.constantFrom("ephemeral" as const, "channel" as const),
    tone: fc.constantFrom("info" as const, "success" as const, "error" as const),
    title: anyText,
    lines: fc.array(anyText, { maxLength: 12 }),
    papers: fc.array(anyCard, { maxLength: 30 }),
    related: fc.array(anyCard, { maxLength: 8 }),
    footer: anyText,
    shareCommand: anyText,
    briefing: anyBriefing,
  },
  { requiredKeys: ["visibility", "tone", "title"] },
);

export const anyHeader: fc.Arbitrary<DigestHeader> = fc.record({
  title: anyText,
  localDate: fc.constantFrom("2026-03-02", "9999-12-31"),
  count: fc.integer({ min: 0, max: 1_000_000 }),
});

/** Every URL a reply carries: links to these (made safe) are the renderer's own, and allowed. */
export function urlsOf(reply: Reply): string[] {
  const cards = [...(reply.papers ?? []), ...(reply.related ?? []), ...(reply.briefing?.related ?? [])];
  return [
    ...cards.flatMap((c) => [c.url, c.codeUrl, c.pdfUrl]),
    ...(reply.briefing?.links ?? []).map((l) => l.url),
  ].filter((u): u is string => Boolean(u));
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a text is valid UTF-16 (no half of a surrogate pair on its own). */
export const isWellFormed = (text: string): boolean => !LONE_SURROGATE.test(text);
