CREATE TABLE "document_serials" (
	"jurisdiction" text NOT NULL,
	"kind" text NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "document_serials_jurisdiction_kind_year_pk" PRIMARY KEY("jurisdiction","kind","year")
);
--> statement-breakpoint
CREATE TABLE "document_templates" (
	"jurisdiction" text NOT NULL,
	"kind" text NOT NULL,
	"serial_prefix" text NOT NULL,
	"issuer" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"revision" integer NOT NULL,
	"updated_by" text,
	"updated_at" text NOT NULL,
	CONSTRAINT "document_templates_jurisdiction_kind_pk" PRIMARY KEY("jurisdiction","kind")
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"jurisdiction" text NOT NULL,
	"kind" text NOT NULL,
	"year" integer NOT NULL,
	"number" integer NOT NULL,
	"serial" text NOT NULL,
	"edge" text NOT NULL,
	"case_version" integer NOT NULL,
	"content" text NOT NULL,
	"template_revision" integer NOT NULL,
	"issued_at" text NOT NULL,
	"issued_by" text,
	"attachment_id" text
);
--> statement-breakpoint
ALTER TABLE "document_templates" ADD CONSTRAINT "document_templates_jurisdiction_jurisdictions_code_fk" FOREIGN KEY ("jurisdiction") REFERENCES "public"."jurisdictions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "documents_serial" ON "documents" USING btree ("jurisdiction","kind","year","number");--> statement-breakpoint
CREATE INDEX "documents_case" ON "documents" USING btree ("case_id");