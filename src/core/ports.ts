import type { Channel, ChannelAddress, DigestSettings } from "./channel.js";
import type { Paper } from "./paper.js";
import type { Result } from "./result.js";

/** A paper as listed to users: the stored paper plus what the store knows of its reception. */
export interface ListedPaper extends Paper {
  firstSeenAt: Date;
  /** Net votes (in the asking channel when there is one, else everywhere). */
  votes: number;
  /** Replies in the paper's threads. */
  replies: number;
  /** Trending score or search relevance, depending on the list. */
  score: number;
}

export type Period = "day" | "week" | "month" | "all";

export interface SearchGroup {
  /** Alternatives (words or phrases): a paper matches the group when it has any of them. */
  alternatives: string[];
  /** How much matching this group is worth (its inverse document frequency). */
  weight: number;
}

export interface SearchQuery {
  groups: SearchGroup[];
  /** The cleaned text, for phrase and title-similarity ranking. */
  text: string;
  limit: number;
  channelId?: number | undefined;
}

export interface DigestCandidateOptions {
  since: Date;
  limit: number;
  /** Only papers matching any of these groups (the channel's topics). */
  topics?: SearchGroup[];
  minUpvotes?: number | null;
  minScore?: number | null;
}

export interface UpsertSummary {
  inserted: number;
  updated: number;
}

/** What the in-process search index keeps of a paper. */
export interface IndexablePaper {
  id: string;
  title: string;
  abstract: string;
  aiSummary: string | null;
  aiKeywords: string[];
  hfUpvotes: number | null;
  /** When the paper counts from (featured, else published, else first seen), for the recency boost. */
  bornAt: Date;
}

/**
 * A position in the change feed: the last change read, by (time in µs since 1970, removals before
 * writes, id).
 */
export interface ChangeMark {
  at: number;
  removed: boolean;
  id: string;
}

/** One change: a paper written (its new state) or removed (null). */
export interface PaperChange {
  id: string;
  paper: IndexablePaper | null;
}

export interface PaperChanges {
  /** Oldest first. */
  changes: PaperChange[];
  /** Where to ask from next (the given mark when nothing changed). */
  mark: ChangeMark | null;
  /** False when the page was full: ask again from `mark` for more. */
  done: boolean;
}

export interface PaperStore {
  /** Inserts or merges papers by id in one transaction: all of them or none. */
  upsert(papers: Paper[], seenAt: Date): Promise<UpsertSummary>;
  /**
   * Streams batches into the store, for files of any size. A batch is stored whole or not at all, but
   * not the whole stream: after an error (thrown by the batches, or by the database) the batches before
   * it may be stored, and storing the same papers again completes the load without doubling any
   * (PGlite takes the stream in one transaction). `progress` hears the papers written so far.
   */
  bulkUpsert(
    batches: AsyncIterable<Paper[]>,
    seenAt: Date,
    progress?: (papers: number) => void,
  ): Promise<UpsertSummary>;
  get(id: string): Promise<ListedPaper | null>;
  /** Papers by id with their reception (votes in the channel when given), in no particular order. */
  getMany(ids: string[], channelId?: number): Promise<ListedPaper[]>;
  /**
   * What changed since a mark, oldest first, at most `limit` papers and removals: the feed that keeps
   * every replica's search index converging on the same contents. Only changes no running transaction
   * can still precede are returned, so a reader never skips a row that commits late.
   */
  changesSince(mark: ChangeMark | null, limit: number): Promise<PaperChanges>;
  count(): Promise<number>;
  search(query: SearchQuery): Promise<ListedPaper[]>;
  /** How many papers contain each surface word, and how many papers there are. */
  termStats(words: string[]): Promise<{ total: number; docs: Map<string, number> }>;
  /** Corpus words starting with a prefix, most common first (topic autocomplete). */
  wordsWithPrefix(prefix: string, limit: number): Promise<string[]>;
  /** The corpus words closest in spelling to a word the corpus does not have, best first. */
  similarWords(word: string, limit: number): Promise<string[]>;
  /** Most voted in a period, in one channel or everywhere. */
  top(period: Period, now: Date, options: { channelId?: number; limit: number }): Promise<ListedPaper[]>;
  /** Recent papers ordered by the trending score. */
  trending(now: Date, options: { channelId?: number; limit: number; since?: Date }): Promise<ListedPaper[]>;
  /** Candidates for a channel's digest: recent, never posted to it, by trending score. */
  digestCandidates(channelId: number, now: Date, options: DigestCandidateOptions): Promise<ListedPaper[]>;
}

/** Where the search index keeps its snapshot between runs (a file; nothing when absent). */
export interface IndexSnapshotStore {
  read(): Promise<Uint8Array | null>;
  write(parts: Uint8Array[]): Promise<void>;
}

export interface ChannelStore {
  /** The channel for an address, created on first sight. */
  ensure(address: ChannelAddress): Promise<Channel>;
  find(platform: string, channelRef: string): Promise<Channel | null>;
  /**
   * ensure's id alone, for commands (a command used in a channel gives it its row): no round trip once
   * the channel is known, as ids never change.
   */
  ensureId(address: ChannelAddress): Promise<number>;
  /** The channel's id, or null when paperboy has not seen it; for callers that need nothing else. */
  idOf(platform: string, channelRef: string): Promise<number | null>;
  byId(id: number): Promise<Channel | null>;
  subscribe(id: number, settings: DigestSettings, nextDigestAt: Date | null): Promise<Channel>;
  unsubscribe(id: number): Promise<Channel>;
  /**
   * Sets when the channel's next digest is due. With `expected`, only while that is still the channel's
   * next time, so a /papers subscribe made meanwhile is not overwritten; says whether it was set.
   */
  setNextDigest(id: number, at: Date | null, expected?: Date | null): Promise<boolean>;
  /**
   * Subscribed channels of these platforms whose next digest is due at `now`, earliest first, except
   * those whose digest a process is posting right now (a live claim).
   */
  due(now: Date, limit: number, platforms: string[]): Promise<Channel[]>;
  subscribed(): Promise<Channel[]>;
}

export interface PostRecord {
  id: number;
  channelId: number;
  paperId: string;
  status: "queued" | "sending" | "sent" | "failed";
  messageRef: string | null;
  threadRef: string | null;
  digestRunId: number | null;
  position: number;
}

export interface PostStore {
  /**
   * Records the intent to post before anything is sent. Returns null when the channel already has
   * this paper (sent, being sent, or queued in this run), which is what keeps a paper from ever
   * reaching a channel twice; a paper an earlier run reserved and never sent moves to this run.
   */
  reserve(
    channelId: number,
    paperId: string,
    digestRunId: number | null,
    position: number,
  ): Promise<PostRecord | null>;
  /** Marks a post as going out now; false unless it was queued or failed (another process took it). */
  markSending(postId: number): Promise<boolean>;
  markSent(postId: number, messageRef: string, threadRef?: string | null): Promise<void>;
  /** The platform refused the post: it definitely did not go out, so it may be tried again. */
  markFailed(postId: number): Promise<void>;
  /** Drops a post that definitely did not go out, so the paper can be chosen again another day. */
  release(postId: number): Promise<void>;
  byMessage(channelId: number, messageRef: string): Promise<PostRecord | null>;
  ofRun(digestRunId: number): Promise<PostRecord[]>;
  countReply(channelId: number, threadRef: string): Promise<boolean>;
  /** The paper post whose thread this is (a question in a thread is about that paper). */
  byThread(channelId: number, threadRef: string): Promise<PostRecord | null>;
  /** Where the post's replies go, once the platform started a thread for it (Discord). */
  setThread(postId: number, threadRef: string): Promise<void>;
}

export interface ReactionChange {
  postId: number;
  paperId: string;
  platform: string;
  userRef: string;
  emoji: string;
  action: "up" | "down" | "save";
  added: boolean;
  eventAt: Date;
}

/** A reaction as it reaches the store: on a message, which may or may not be one of the bot's paper posts. */
export interface MessageReaction {
  platform: string;
  channelRef: string;
  messageRef: string;
  userRef: string;
  emoji: string;
  action: "up" | "down" | "save";
  added: boolean;
  eventAt: Date;
}

export type MessageReactionResult = "not-a-paper-post" | "recorded" | "unchanged";

export interface VoteStore {
  /** Applies a reaction if it is newer than what is stored for that user, post and emoji. Returns whether anything changed. */
  apply(change: ReactionChange): Promise<boolean>;
  /**
   * Several reactions in one statement, each applied as `apply` would once its post is found; one
   * result per reaction, in order. No two may share platform, channel, message, user and emoji.
   */
  react(reactions: MessageReaction[]): Promise<MessageReactionResult[]>;
  /** Net vote per paper in a post: each user counts once, up or down. */
  netVotes(postId: number): Promise<number>;
  saved(platform: string, userRef: string, limit: number): Promise<ListedPaper[]>;
}

export interface DigestRun {
  id: number;
  channelId: number;
  localDate: string;
  kind: string;
  status: "claimed" | "posting" | "done" | "empty" | "failed" | "skipped";
  claimedBy: string | null;
  headerRef: string | null;
  leaseUntil: Date | null;
  attempts: number;
  papersPosted: number;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface DigestOutcome {
  status: DigestRun["status"];
  papersPosted: number;
  error: string | null;
  finishedAt: Date;
  retryAt?: Date | null;
}

export interface DigestRunStore {
  /**
   * Claims the run of a channel for a local date, for `owner` until `leaseUntil`. Succeeds when no run
   * exists, or when the existing one is unfinished and its lease ran out (its owner died). Returns null
   * when another process holds it or it is finished.
   */
  claim(
    channelId: number,
    localDate: string,
    kind: string,
    owner: string,
    now: Date,
    leaseUntil: Date,
  ): Promise<DigestRun | null>;
  /** Records the outcome; a failed run with `retryAt` may be claimed again from then on. */
  finish(id: number, outcome: DigestOutcome): Promise<void>;
  /** Renews the lease while posting; false when the run is no longer this owner's. */
  extend(id: number, owner: string, leaseUntil: Date): Promise<boolean>;
  setHeader(id: number, headerRef: string): Promise<void>;
  get(channelId: number, localDate: string, kind: string): Promise<DigestRun | null>;
  recent(
    limit: number,
    channelId?: number,
  ): Promise<(DigestRun & { channelRef: string; platform: string })[]>;
}

export interface SourceFetchStore {
  lastFetch(
    source: string,
    key: string,
  ): Promise<{ fetchedAt: Date; papers: number; error: string | null } | null>;
  recordFetch(
    source: string,
    key: string,
    fetchedAt: Date,
    papers: number,
    error: string | null,
  ): Promise<void>;
}

/** A part of a paper's text under its heading ("Abstract", "3 Method"…). */
export interface PaperSection {
  heading: string;
  text: string;
}

export interface StoredPaperText {
  paperId: string;
  /** "arxiv-html" | "hf-markdown" | "none" (nothing was reachable; `error` says why). */
  source: string;
  sections: PaperSection[];
  error: string | null;
  fetchedAt: Date;
}

/** Full texts fetched once per paper for questions in its thread. */
export interface PaperTextStore {
  get(paperId: string): Promise<StoredPaperText | null>;
  put(text: StoredPaperText): Promise<void>;
}

export interface RecapStore {
  /**
   * The papers a channel's digests posted on local dates in [fromDate, toDate) ("YYYY-MM-DD"), with
   * their votes and thread replies there; most upvoted first, ties by replies.
   */
  week(channelId: number, fromDate: string, toDate: string, limit: number): Promise<ListedPaper[]>;
}

/** Platform events already handled, shared by every process on the database. */
export interface HandledEventStore {
  /**
   * Records an event as handled: true only for its first claim, whichever process made it, so an event
   * the platform delivers again (to this process or another) is handled once.
   */
  claim(platform: string, eventId: string): Promise<boolean>;
}

/** A paper's text as it is embedded. */
export interface EmbeddablePaper {
  id: string;
  title: string;
  abstract: string;
}

/** A paper found by meaning: its cosine similarity to the query, in [-1, 1]. */
export interface NearPaper {
  id: string;
  similarity: number;
}

/**
 * Paper embeddings in the database (pgvector), for finding papers by meaning. One model's vectors
 * at a time: the vectors of two models are not comparable.
 */
export interface PaperVectorStore {
  /**
   * Makes the database ready for this model's vectors (a new model's replace the old ones). Fails,
   * saying why and what to do, when the database has no pgvector or may not install it.
   */
  prepare(model: string, dimensions: number): Promise<Result<void>>;
  /** The papers nearest a unit-length query vector, closest first (approximate, by the HNSW index). */
  nearest(vector: Float32Array, limit: number): Promise<NearPaper[]>;
  /** The stored vectors of these papers (papers not embedded yet are absent). */
  vectorsOf(ids: string[]): Promise<Map<string, Float32Array>>;
  /**
   * Embeds and stores up to `limit` papers after id `after` that have no vector yet, in id order.
   * `last` is where the next call goes on from, null when the end was reached; nothing is stored when
   * `embed` fails. Among processes sharing the database only one fills at a time: the others get
   * `busy` and nothing is embedded twice.
   */
  fillMissing(
    after: string,
    limit: number,
    embed: (papers: EmbeddablePaper[]) => Promise<Result<Float32Array[]>>,
  ): Promise<Result<{ stored: number; last: string | null; busy: boolean }>>;
  /** Closes what it opened for the vectors (the embedded default keeps them in a database of their own). */
  close(): Promise<void>;
}

/** Everything the core needs from storage. */
export interface Store {
  papers: PaperStore;
  channels: ChannelStore;
  posts: PostStore;
  votes: VoteStore;
  digestRuns: DigestRunStore;
  sourceFetches: SourceFetchStore;
  paperTexts: PaperTextStore;
  recaps: RecapStore;
  events: HandledEventStore;
  vectors: PaperVectorStore;
}

export interface Clock {
  now(): Date;
}

/** The logger shape the core uses (pino satisfies it). */
export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
}
