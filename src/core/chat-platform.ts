import type { Channel } from "./channel.js";
import type { PaperCard } from "./reply.js";

export interface DigestHeader {
  title: string;
  localDate: string;
  count: number;
}

export interface PostedMessage {
  messageRef: string;
  /** Where replies to this paper go, when the platform starts a thread for it (a Discord thread id). */
  threadRef?: string | null;
}

/** What the digest runner needs from a platform: two ways to post into a channel. */
export interface DigestPoster {
  postHeader(channel: Channel, header: DigestHeader): Promise<string>;
  postPaper(channel: Channel, card: PaperCard): Promise<PostedMessage>;
}

/**
 * A chat platform adapter (Slack, Discord, the terminal): turns platform events into core calls and
 * renders the core's replies. Adding a platform means one folder implementing this and one line where
 * platforms are registered.
 */
export interface ChatPlatform {
  readonly name: string;
  readonly poster: DigestPoster;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Whether the platform connection is up (for readiness). */
  connected(): boolean;
}

/** A platform refused an action; `permanent` when retrying cannot help (bot not in channel, channel gone). */
export class PlatformError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly code?: string,
  ) {
    super(message);
    this.name = "PlatformError";
  }
}
