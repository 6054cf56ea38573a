/** A chat channel paperboy knows, with its digest settings. */
export interface Channel {
  id: number;
  platform: string;
  workspaceId: string;
  channelRef: string;
  name: string | null;
  subscribed: boolean;
  digestTime: string;
  timezone: string;
  weekdaysOnly: boolean;
  paperCount: number;
  topics: string[];
  minUpvotes: number | null;
  minScore: number | null;
  threads: boolean;
  nextDigestAt: Date | null;
}

/** Where a command or event came from, as the platform adapter saw it. */
export interface ChannelAddress {
  platform: string;
  workspaceId: string;
  channelRef: string;
  name?: string | undefined;
}

export type DigestSettings = Pick<
  Channel,
  "digestTime" | "timezone" | "weekdaysOnly" | "paperCount" | "topics" | "minUpvotes" | "minScore" | "threads"
>;
