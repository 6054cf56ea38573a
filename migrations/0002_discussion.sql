CREATE TABLE "paper_texts" (
	"paper_id" text PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"sections" jsonb DEFAULT '[]' NOT NULL,
	"error" text,
	"fetched_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "paper_texts" ADD CONSTRAINT "paper_texts_paper_id_papers_id_fk" FOREIGN KEY ("paper_id") REFERENCES "public"."papers"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
CREATE INDEX "posts_channel_thread_idx" ON "posts" USING btree ("channel_id","thread_ref");