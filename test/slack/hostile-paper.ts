/**
 * A paper whose every text field tries to ping the channel, mention a user or smuggle a link, with
 * unsafe URLs; and so many HF upvotes that it leads any digest. Ingested from a JSONL file.
 */
export const HOSTILE_WORD = "zanzibarization";

export const HOSTILE_PAPER = {
  title: `Zanzibarization of tokenizers <!channel> <@U123> <https://evil.example|click> & <#C999> <!subteam^S1>`,
  abstract:
    "We study zanzibarization at scale. <!here> Ping <@U0ADMIN> and read <https://evil.example/x|this> now; " +
    "a > b & c < d holds for every tokenizer we tried, which is more than enough for a sentence of an abstract.",
  authors: ["Mallory <!everyone>", "Eve <@U123>"],
  // Unsafe links: the title must render as text, the code link not at all.
  absUrl: "javascript:alert(document.cookie)",
  codeUrl: "javascript:alert(1)",
  hfUpvotes: 99_999,
};

/** Substrings that must never reach Slack from this paper. */
export const ACTIVE_FRAGMENTS = [
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "<@U123>",
  "<@U0ADMIN>",
  "<#C999>",
  "<!subteam",
  "<https://evil.example",
  "<javascript:",
];

/** The only places a link may point to from a rendered card. */
export const SAFE_LINK = (url: string) =>
  /^https:\/\/(huggingface\.co|arxiv\.org|github\.com)\//.test(url) && !url.includes("javascript:");
