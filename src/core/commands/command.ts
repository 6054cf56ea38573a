import type { ChannelAddress } from "../channel.js";
import type { Clock, Logger, Store } from "../ports.js";
import type { Reply } from "../reply.js";
import type { Result } from "../result.js";
import type { LiveSearchIndex } from "../search/live-search-index.js";
import type { SemanticReranker } from "../search/semantic-rerank.js";

/** Who asked, and where: filled in by the platform adapter. */
export interface CommandContext {
  address: ChannelAddress;
  userRef: string;
  /** The platform says this user may change the channel's settings (workspace admin, Manage Channels). */
  isAdmin: boolean;
  /** The user's or workspace's time zone when the platform knows it. */
  timezone?: string | undefined;
}

export interface CommandDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Users allowed to configure any channel (PAPERBOY_ADMINS), on top of the platform's admins. */
  admins: readonly string[];
  defaults: { timezone: string; digestTime: string };
  /** The in-process search index, when this process keeps one (searches fall back to the database). */
  searchIndex?: LiveSearchIndex | undefined;
  /** Semantic reranking of search results, when an embeddings endpoint is configured. */
  semanticSearch?: SemanticReranker | undefined;
}

/** One `/papers` subcommand: its words, its parser and its handler, in one file. */
export interface CommandDefinition<Args> {
  name: string;
  usage: string;
  summary: string;
  /** Changes channel settings: only for admins (the platform checks who is one). */
  adminOnly?: boolean;
  /** Parses the text after the subcommand's name; never throws. */
  parse(rest: string): Result<Args>;
  run(deps: CommandDeps, context: CommandContext, args: Args): Promise<Reply>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds definitions of every argument type.
export type AnyCommand = CommandDefinition<any>;
