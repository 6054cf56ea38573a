CREATE TABLE "channels" (
	"id" serial PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"workspace_id" text DEFAULT '' NOT NULL,
	"channel_ref" text NOT NULL,
	"name" text,
	"subscribed" boolean DEFAULT false NOT NULL,
	"digest_time" text DEFAULT '09:00' NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"weekdays_only" boolean DEFAULT true NOT NULL,
	"paper_count" smallint DEFAULT 5 NOT NULL,
	"topics" text[] DEFAULT '{}' NOT NULL,
	"min_upvotes" integer,
	"min_score" real,
	"threads" boolean DEFAULT true NOT NULL,
	"next_digest_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "digest_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel_id" integer NOT NULL,
	"local_date" date NOT NULL,
	"kind" text DEFAULT 'daily' NOT NULL,
	"status" text DEFAULT 'claimed' NOT NULL,
	"claimed_by" text,
	"lease_until" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"header_ref" text,
	"papers_posted" integer DEFAULT 0 NOT NULL,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "papers" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"abstract" text DEFAULT '' NOT NULL,
	"authors" text[] DEFAULT '{}' NOT NULL,
	"published_at" timestamp with time zone,
	"featured_on" date,
	"categories" text[] DEFAULT '{}' NOT NULL,
	"abs_url" text,
	"pdf_url" text,
	"hf_url" text,
	"code_url" text,
	"project_url" text,
	"hf_upvotes" integer,
	"github_stars" integer,
	"ai_summary" text,
	"ai_keywords" text[] DEFAULT '{}' NOT NULL,
	"sources" text[] DEFAULT '{}' NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', coalesce(ai_summary, '')), 'B') || setweight(to_tsvector('english', abstract), 'C')) STORED
);
--> statement-breakpoint
CREATE TABLE "posts" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel_id" integer NOT NULL,
	"paper_id" text NOT NULL,
	"digest_run_id" integer,
	"position" smallint DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"message_ref" text,
	"thread_ref" text,
	"reply_count" integer DEFAULT 0 NOT NULL,
	"posted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "saved_papers" (
	"platform" text NOT NULL,
	"user_ref" text NOT NULL,
	"paper_id" text NOT NULL,
	"post_id" integer,
	"active" boolean NOT NULL,
	"event_at" timestamp with time zone NOT NULL,
	"saved_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_papers_platform_user_ref_paper_id_pk" PRIMARY KEY("platform","user_ref","paper_id")
);
--> statement-breakpoint
CREATE TABLE "search_terms" (
	"word" text PRIMARY KEY NOT NULL,
	"docs" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_fetches" (
	"source" text NOT NULL,
	"key" text NOT NULL,
	"fetched_at" timestamp with time zone NOT NULL,
	"papers" integer DEFAULT 0 NOT NULL,
	"error" text,
	CONSTRAINT "source_fetches_source_key_pk" PRIMARY KEY("source","key")
);
--> statement-breakpoint
CREATE TABLE "votes" (
	"post_id" integer NOT NULL,
	"user_ref" text NOT NULL,
	"emoji" text NOT NULL,
	"value" smallint NOT NULL,
	"active" boolean NOT NULL,
	"event_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "votes_post_id_user_ref_emoji_pk" PRIMARY KEY("post_id","user_ref","emoji")
);
--> statement-breakpoint
ALTER TABLE "digest_runs" ADD CONSTRAINT "digest_runs_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_paper_id_papers_id_fk" FOREIGN KEY ("paper_id") REFERENCES "public"."papers"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_digest_run_id_digest_runs_id_fk" FOREIGN KEY ("digest_run_id") REFERENCES "public"."digest_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_papers" ADD CONSTRAINT "saved_papers_paper_id_papers_id_fk" FOREIGN KEY ("paper_id") REFERENCES "public"."papers"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "saved_papers" ADD CONSTRAINT "saved_papers_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "channels_platform_ref_uq" ON "channels" USING btree ("platform","channel_ref");--> statement-breakpoint
CREATE INDEX "channels_due_idx" ON "channels" USING btree ("next_digest_at") WHERE "channels"."subscribed";--> statement-breakpoint
CREATE UNIQUE INDEX "digest_runs_channel_day_uq" ON "digest_runs" USING btree ("channel_id","local_date","kind");--> statement-breakpoint
CREATE INDEX "digest_runs_started_idx" ON "digest_runs" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "papers_search_idx" ON "papers" USING gin ("search");--> statement-breakpoint
CREATE INDEX "papers_title_trgm_idx" ON "papers" USING gin (lower("title") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "papers_first_seen_idx" ON "papers" USING btree ("first_seen_at");--> statement-breakpoint
CREATE INDEX "papers_featured_on_idx" ON "papers" USING btree ("featured_on");--> statement-breakpoint
CREATE UNIQUE INDEX "posts_channel_paper_uq" ON "posts" USING btree ("channel_id","paper_id");--> statement-breakpoint
CREATE UNIQUE INDEX "posts_channel_message_uq" ON "posts" USING btree ("channel_id","message_ref");--> statement-breakpoint
CREATE INDEX "posts_paper_idx" ON "posts" USING btree ("paper_id");--> statement-breakpoint
CREATE INDEX "search_terms_trgm_idx" ON "search_terms" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "votes_updated_idx" ON "votes" USING btree ("updated_at");