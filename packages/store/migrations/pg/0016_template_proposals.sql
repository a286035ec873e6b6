CREATE TABLE "template_proposals" (
	"id" text PRIMARY KEY NOT NULL,
	"jurisdiction" text NOT NULL,
	"flow_id" text NOT NULL,
	"template_key" text NOT NULL,
	"template_version" integer NOT NULL,
	"changes" jsonb NOT NULL,
	"note" jsonb NOT NULL,
	"status" text NOT NULL,
	"proposed_by" text,
	"proposed_at" text NOT NULL,
	"answered_by" text,
	"answered_at" text,
	"answer" jsonb,
	"merged" jsonb,
	"seen_at" text
);
--> statement-breakpoint
ALTER TABLE "template_proposals" ADD CONSTRAINT "template_proposals_jurisdiction_jurisdictions_code_fk" FOREIGN KEY ("jurisdiction") REFERENCES "public"."jurisdictions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "template_proposals" ADD CONSTRAINT "template_proposals_flow_id_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."flows"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "template_proposals_template_idx" ON "template_proposals" USING btree ("template_key","status");--> statement-breakpoint
CREATE INDEX "template_proposals_jurisdiction_idx" ON "template_proposals" USING btree ("jurisdiction","status");