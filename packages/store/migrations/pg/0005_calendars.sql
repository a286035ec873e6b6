CREATE TABLE "calendar_local_days" (
	"jurisdiction" text NOT NULL,
	"year" integer NOT NULL,
	"revision" integer NOT NULL,
	"days" jsonb NOT NULL,
	"entered_by" text,
	"entered_at" text NOT NULL,
	"reason" text,
	CONSTRAINT "calendar_local_days_jurisdiction_year_revision_pk" PRIMARY KEY("jurisdiction","year","revision")
);
--> statement-breakpoint
CREATE TABLE "calendar_local_grants" (
	"jurisdiction" text PRIMARY KEY NOT NULL,
	"granted_by" text,
	"granted_at" text NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "calendar_years" (
	"jurisdiction" text NOT NULL,
	"year" integer NOT NULL,
	"revision" integer NOT NULL,
	"status" text NOT NULL,
	"holidays" jsonb NOT NULL,
	"workdays" jsonb NOT NULL,
	"source_document" text,
	"source_date" text,
	"entered_by" text,
	"entered_at" text NOT NULL,
	"reason" text,
	"recompute_total" integer DEFAULT 0 NOT NULL,
	"recompute_done" integer DEFAULT 0 NOT NULL,
	"recompute_moved" integer DEFAULT 0 NOT NULL,
	"recomputed_at" text,
	CONSTRAINT "calendar_years_jurisdiction_year_revision_pk" PRIMARY KEY("jurisdiction","year","revision")
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "provisional" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "calendar_local_days" ADD CONSTRAINT "calendar_local_days_jurisdiction_jurisdictions_code_fk" FOREIGN KEY ("jurisdiction") REFERENCES "public"."jurisdictions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_local_grants" ADD CONSTRAINT "calendar_local_grants_jurisdiction_jurisdictions_code_fk" FOREIGN KEY ("jurisdiction") REFERENCES "public"."jurisdictions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_years" ADD CONSTRAINT "calendar_years_jurisdiction_jurisdictions_code_fk" FOREIGN KEY ("jurisdiction") REFERENCES "public"."jurisdictions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cases_provisional" ON "cases" USING btree ("provisional","status","jurisdiction");