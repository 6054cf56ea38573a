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
  /** Replies in the paper's threads (shown where discussion matters, as in /papers top). */
  replies?: number;
}

/** The short briefing posted in a paper's thread: platform-neutral, rendered by each platform. */
export interface Briefing {
  paperId: string;
  title: string;
  /** What the paper does, how, and its main result: up to three points. */
  points: { label: "What" | "How" | "Result"; text: string }[];
  /** Where the points come from, as readers are told ("the HF AI summary and the abstract"). */
  basis: string;
  keywords: string[];
  links: { label: string; url: string }[];
  related: PaperCard[];
  /** One question to start the discussion. */
  question: string;
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
  /**
   * Set on a paper's thread briefing. The fields above carry the same content as plain lines, so a
   * platform that renders only those still shows all of it.
   */
  briefing?: Briefing;
}

export const errorReply = (title: string, lines: string[] = []): Reply => ({
  visibility: "ephemeral",
  tone: "error",
  title,
  lines,
});

/** The database is away for a moment: what a user hears instead of an answer. */
export const unavailableReply = (): Reply =>
  errorReply("The database is unavailable; try again in a moment.");
