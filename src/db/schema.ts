import { sql } from "drizzle-orm";
import {
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const papers = pgTable(
  "papers",
  {
    id: text("id").primaryKey(),
    title: text("title").notNull(),
    abstract: text("abstract").notNull().default(""),
    authors: text("authors").array().notNull().default(sql`'{}'`),
    publishedAt: timestamptz("published_at"),
    featuredOn: date("featured_on", { mode: "string" }),
    categories: text("categories").array().notNull().default(sql`'{}'`),
    absUrl: text("abs_url"),
    pdfUrl: text("pdf_url"),
    hfUrl: text("hf_url"),
    codeUrl: text("code_url"),
    projectUrl: text("project_url"),
    hfUpvotes: integer("hf_upvotes"),
    githubStars: integer("github_stars"),
    aiSummary: text("ai_summary"),
    aiKeywords: text("ai_keywords").array().notNull().default(sql`'{}'`),
    sources: text("sources").array().notNull().default(sql`'{}'`),
    firstSeenAt: timestamptz("first_seen_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
    // Kept by Postgres itself, so rows loaded by any path (COPY included) are searchable.
    search: tsvector("search").generatedAlwaysAs(
      sql`setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', coalesce(ai_summary, '')), 'B') || setweight(to_tsvector('english', abstract), 'C')`,
    ),
  },
  (t) => [
    index("papers_search_idx").using("gin", t.search),
    index("papers_title_trgm_idx").using("gin", sql`lower(${t.title}) gin_trgm_ops`),
    index("papers_first_seen_idx").on(t.firstSeenAt),
    index("papers_featured_on_idx").on(t.featuredOn),
    // The change feed search indexes follow: papers written since a mark, in (updated_at, id) order.
    index("papers_updated_idx").on(t.updatedAt, t.id),
  ],
);

/**
 * Papers deleted or re-keyed to another id, for search indexes to drop them: rows that are gone can't
 * be read from `papers`. Filled by a trigger, so every way of deleting is seen; a paper inserted again
 * takes its row back out.
 */
export const paperRemovals = pgTable(
  "paper_removals",
  {
    id: text("id").primaryKey(),
    removedAt: timestamptz("removed_at").notNull().defaultNow(),
  },
  (t) => [index("paper_removals_at_idx").on(t.removedAt, t.id)],
);

/** Surface words of the corpus with their document counts: the dictionary that typo correction searches. */
export const searchTerms = pgTable(
  "search_terms",
  {
    word: text("word").primaryKey(),
    docs: integer("docs").notNull().default(0),
  },
  (t) => [index("search_terms_trgm_idx").using("gin", sql`${t.word} gin_trgm_ops`)],
);

export const channels = pgTable(
  "channels",
  {
    id: serial("id").primaryKey(),
    platform: text("platform").notNull(),
    /** Slack team id, Discord guild id, "local" for the terminal. */
    workspaceId: text("workspace_id").notNull().default(""),
    /** The platform's channel id. */
    channelRef: text("channel_ref").notNull(),
    name: text("name"),
    subscribed: boolean("subscribed").notNull().default(false),
    digestTime: text("digest_time").notNull().default("09:00"),
    timezone: text("timezone").notNull().default("UTC"),
    weekdaysOnly: boolean("weekdays_only").notNull().default(true),
    paperCount: smallint("paper_count").notNull().default(5),
    topics: text("topics").array().notNull().default(sql`'{}'`),
    minUpvotes: integer("min_upvotes"),
    /** Threshold mode: every paper scoring above this, at most paperCount. Null: a fixed top-N. */
    minScore: real("min_score"),
    threads: boolean("threads").notNull().default(true),
    /** The next instant this channel's digest is due, kept by the scheduler so a tick reads only due rows. */
    nextDigestAt: timestamptz("next_digest_at"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("channels_platform_ref_uq").on(t.platform, t.channelRef),
    index("channels_due_idx").on(t.nextDigestAt).where(sql`${t.subscribed}`),
  ],
);

export const digestRuns = pgTable(
  "digest_runs",
  {
    id: serial("id").primaryKey(),
    channelId: integer("channel_id")
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    /** The channel's local date the digest is for: the run's identity with the kind. */
    localDate: date("local_date", { mode: "string" }).notNull(),
    kind: text("kind").notNull().default("daily"),
    /** claimed -> posting -> done | empty | failed | skipped */
    status: text("status").notNull().default("claimed"),
    claimedBy: text("claimed_by"),
    /** A claim whose lease ran out may be taken over by another process. */
    leaseUntil: timestamptz("lease_until"),
    attempts: integer("attempts").notNull().default(0),
    /** The header message, once sent: a resumed run doesn't send it again. */
    headerRef: text("header_ref"),
    papersPosted: integer("papers_posted").notNull().default(0),
    error: text("error"),
    startedAt: timestamptz("started_at").notNull().defaultNow(),
    finishedAt: timestamptz("finished_at"),
  },
  (t) => [
    uniqueIndex("digest_runs_channel_day_uq").on(t.channelId, t.localDate, t.kind),
    index("digest_runs_started_idx").on(t.startedAt),
  ],
);

export const posts = pgTable(
  "posts",
  {
    id: serial("id").primaryKey(),
    channelId: integer("channel_id")
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    // onUpdate: a paper first known by its title id is re-keyed to its arXiv id when that turns up.
    paperId: text("paper_id")
      .notNull()
      .references(() => papers.id, { onDelete: "cascade", onUpdate: "cascade" }),
    digestRunId: integer("digest_run_id").references(() => digestRuns.id, { onDelete: "set null" }),
    /** Position in its digest, so a resumed digest keeps its order. */
    position: smallint("position").notNull().default(0),
    /**
     * queued: chosen, not yet tried; sending: about to go out (a crash here leaves it unknown, and it is
     * never sent again); sent: the platform confirmed with messageRef; failed: the platform refused it.
     */
    status: text("status").notNull().default("queued"),
    /** Slack ts, Discord message id, terminal number. */
    messageRef: text("message_ref"),
    threadRef: text("thread_ref"),
    replyCount: integer("reply_count").notNull().default(0),
    postedAt: timestamptz("posted_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("posts_channel_paper_uq").on(t.channelId, t.paperId),
    uniqueIndex("posts_channel_message_uq").on(t.channelId, t.messageRef),
    // Every message in a thread looks its post up by thread (reply counts, questions).
    index("posts_channel_thread_idx").on(t.channelId, t.threadRef),
    index("posts_paper_idx").on(t.paperId),
  ],
);

export const votes = pgTable(
  "votes",
  {
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    userRef: text("user_ref").notNull(),
    /** Normalized emoji name: "+1", "fire", "-1"… */
    emoji: text("emoji").notNull(),
    /** +1 or -1; bookmarks live in saved_papers. */
    value: smallint("value").notNull(),
    active: boolean("active").notNull(),
    /** The platform's time of the last event applied, so redelivered and out-of-order events change nothing. */
    eventAt: timestamptz("event_at").notNull(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.postId, t.userRef, t.emoji] }),
    index("votes_updated_idx").on(t.updatedAt),
  ],
);

export const savedPapers = pgTable(
  "saved_papers",
  {
    platform: text("platform").notNull(),
    userRef: text("user_ref").notNull(),
    // onUpdate: a paper first known by its title id is re-keyed to its arXiv id when that turns up.
    paperId: text("paper_id")
      .notNull()
      .references(() => papers.id, { onDelete: "cascade", onUpdate: "cascade" }),
    postId: integer("post_id").references(() => posts.id, { onDelete: "set null" }),
    active: boolean("active").notNull(),
    eventAt: timestamptz("event_at").notNull(),
    savedAt: timestamptz("saved_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.userRef, t.paperId] })],
);

/** The last good fetch of each source and key, so 1,000 channels share one API call. */
export const sourceFetches = pgTable(
  "source_fetches",
  {
    source: text("source").notNull(),
    key: text("key").notNull(),
    fetchedAt: timestamptz("fetched_at").notNull(),
    papers: integer("papers").notNull().default(0),
    error: text("error"),
  },
  (t) => [primaryKey({ columns: [t.source, t.key] })],
);

/**
 * A paper's text beyond its abstract (arXiv HTML or the HF page's markdown), fetched once for
 * questions in its thread. A failed fetch is stored too, so a thread full of questions doesn't hammer
 * a source that has no text for the paper; it is tried again after a day.
 */
export const paperTexts = pgTable("paper_texts", {
  // onUpdate: a paper first known by its title id is re-keyed to its arXiv id when that turns up.
  paperId: text("paper_id")
    .primaryKey()
    .references(() => papers.id, { onDelete: "cascade", onUpdate: "cascade" }),
  /** "arxiv-html" | "hf-markdown" | "none" (nothing reachable). */
  source: text("source").notNull(),
  /** [{ heading, text }] in reading order. */
  sections: jsonb("sections").$type<{ heading: string; text: string }[]>().notNull().default(sql`'[]'`),
  error: text("error"),
  fetchedAt: timestamptz("fetched_at").notNull(),
});

/**
 * Platform events already handled, so a redelivered one (a Slack retry, a Discord message sent again
 * after a reconnect) is not answered twice, whichever process it reaches. A redelivery comes within
 * minutes, so rows older than a few days are deleted.
 */
export const handledEvents = pgTable(
  "handled_events",
  {
    platform: text("platform").notNull(),
    /** The platform's event id (Slack event_id, Discord message id), prefixed by what handled it. */
    eventId: text("event_id").notNull(),
    handledAt: timestamptz("handled_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.eventId] }), index("handled_events_at_idx").on(t.handledAt)],
);
