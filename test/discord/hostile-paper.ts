/**
 * A paper whose every text field tries to ping the server, mention a user or role, or smuggle a
 * masked link, with an unsafe abstract URL and a code URL that tries to break out of its own link;
 * and so many HF upvotes that it leads any digest. Ingested from a JSONL file.
 */
export const HOSTILE_WORD = "zanzibarization";

export const HOSTILE_PAPER = {
  title:
    "Zanzibarization of tokenizers @everyone <@123> [click](https://evil.example) @here <@&456> <#789> **loud**",
  // The card shows the first sentence, so everything hostile is in it.
  abstract:
    "Zanzibarization, per [the docs](https://docs.example) and [click](https://evil.example/x), pings @everyone and <@!123> while a > b & c < d holds for every tokenizer we tried. More follows.",
  authors: ["Mallory @everyone", "Eve <@123>", "[Trent](https://evil.example/a)"],
  absUrl: "javascript:alert(document.cookie)",
  codeUrl: "https://github.com/acme/zanzi)[click](https://evil.example/code",
  hfUpvotes: 99_999,
};
