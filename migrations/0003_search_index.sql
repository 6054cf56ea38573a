CREATE TABLE "paper_removals" (
	"id" text PRIMARY KEY NOT NULL,
	"removed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "paper_removals_at_idx" ON "paper_removals" USING btree ("removed_at","id");--> statement-breakpoint
CREATE INDEX "papers_updated_idx" ON "papers" USING btree ("updated_at","id");--> statement-breakpoint
-- Every write stamps updated_at with its transaction's start, whoever writes: the change feed reads
-- rows by updated_at and knows which of them no running transaction can still precede.
CREATE FUNCTION paperboy_paper_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER papers_written BEFORE INSERT OR UPDATE ON papers
  FOR EACH ROW EXECUTE FUNCTION paperboy_paper_written();--> statement-breakpoint
-- A deleted paper, or the old id of a re-keyed one, goes to paper_removals for the change feed.
CREATE FUNCTION paperboy_paper_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO paper_removals (id, removed_at) VALUES (OLD.id, now())
    ON CONFLICT (id) DO UPDATE SET removed_at = excluded.removed_at;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER papers_removed AFTER DELETE ON papers
  FOR EACH ROW EXECUTE FUNCTION paperboy_paper_removed();--> statement-breakpoint
CREATE TRIGGER papers_rekeyed AFTER UPDATE OF id ON papers
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION paperboy_paper_removed();
