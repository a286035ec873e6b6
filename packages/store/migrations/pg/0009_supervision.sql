CREATE TABLE "supervisions" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"jurisdiction" text NOT NULL,
	"reason" text NOT NULL,
	"to" jsonb NOT NULL,
	"issued_by" text NOT NULL,
	"issued_at_ms" bigint NOT NULL,
	"deadline_ms" bigint NOT NULL,
	"status" text NOT NULL,
	"answered_at_ms" bigint,
	"closed_at_ms" bigint
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "awaiting_approval" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "supervisions" ADD CONSTRAINT "supervisions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "supervisions_case" ON "supervisions" USING btree ("case_id","status");--> statement-breakpoint
CREATE INDEX "supervisions_issued" ON "supervisions" USING btree ("jurisdiction","issued_at_ms");--> statement-breakpoint
CREATE INDEX "supervisions_open" ON "supervisions" USING btree ("status","jurisdiction","deadline_ms");--> statement-breakpoint
CREATE INDEX "cases_awaiting_approval" ON "cases" USING btree ("awaiting_approval","jurisdiction");--> statement-breakpoint
-- Cases already waiting on a leader's decision when this migration runs.
UPDATE "cases" SET "awaiting_approval" = true WHERE "state"->'extensionRequests' <> '{}'::jsonb;