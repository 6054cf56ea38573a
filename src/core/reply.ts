/** A paper as a reply shows it: what every platform renders as a card, embed or text block. */
export interface PaperCard {
  id: string;
  title: string;
  url: string;
  authors: string;
  /** One line: the HF AI summary or the abstract's first sentence. */
  summary: string;
  hfUpvotes: number | null;
  githubStars: number | null;
  codeUrl: string | null;
  pdfUrl: string | null;
  votes: number;
}

/**
 * What a command answers, platform-neutral. Text is plain (never markup): each platform escapes it
 * and renders it its own way.
 */
export interface Reply {
  /** ephemeral: only the asker sees it (searches, settings, errors); channel: everyone. */
  visibility: "ephemeral" | "channel";
  tone: "info" | "success" | "error";
  title: string;
  lines?: string[];
  papers?: PaperCard[];
  /** Related papers, under a detail view. */
  related?: PaperCard[];
  footer?: string;
  /** The command text that would post this same answer to the channel ("Share in channel"). */
  shareCommand?: string;
}

export const errorReply = (title: string, lines: string[] = []): Reply => ({
  visibility: "ephemeral",
  tone: "error",
  title,
  lines,
});
