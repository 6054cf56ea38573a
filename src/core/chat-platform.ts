import type { Channel } from "./channel.js";
import type { PaperCard, Reply } from "./reply.js";

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

/** A picture to post (the weekly recap's chart). */
export interface ImageFile {
  png: Uint8Array;
  filename: string;
  /** For screen readers, and where images don't show. */
  altText: string;
  width: number;
  height: number;
}

/**
 * What the digest runner needs from a platform: ways to post into a channel. The optional ones are
 * features a platform may lack; the runner skips what a platform doesn't offer.
 */
export interface DigestPoster {
  /**
   * `key` is the same for every attempt at one message (a retry, another replica taking over): a
   * platform that can make a post idempotent posts it once per key (Discord's enforced nonce).
   */
  postHeader(channel: Channel, header: DigestHeader, key?: string): Promise<string>;
  postPaper(channel: Channel, card: PaperCard, key?: string): Promise<PostedMessage>;
  /**
   * Posts a reply under a paper (its briefing). `threadRef` is what the post recorded (on Slack the
   * paper message's ts). Returns the thread's ref when the platform had to start one and it differs
   * (a Discord thread started from the message), so later replies and questions find it.
   */
  postThreadReply?(channel: Channel, threadRef: string, reply: Reply): Promise<string | undefined>;
  /** Posts a reply with an image attached (the weekly recap); returns the message ref. */
  postImage?(channel: Channel, reply: Reply, image: ImageFile): Promise<string>;
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
