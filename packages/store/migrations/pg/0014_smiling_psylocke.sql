CREATE TABLE "case_archives" (
	"case_id" text PRIMARY KEY NOT NULL,
	"year" integer NOT NULL,
	"file" text NOT NULL,
	"archived_at" text NOT NULL,
	"events" integer NOT NULL,
	"attachments" integer NOT NULL,
	"row_sha256" text NOT NULL,
	"events_sha256" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_archives" ADD CONSTRAINT "case_archives_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_archives_year" ON "case_archives" USING btree ("year");