CREATE TABLE "handled_events" (
	"platform" text NOT NULL,
	"event_id" text NOT NULL,
	"handled_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "handled_events_platform_event_id_pk" PRIMARY KEY("platform","event_id")
);
--> statement-breakpoint
CREATE INDEX "handled_events_at_idx" ON "handled_events" USING btree ("handled_at");