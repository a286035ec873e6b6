CREATE TABLE "template_notices" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"template_key" text NOT NULL,
	"template_version" integer NOT NULL,
	"jurisdiction" text NOT NULL,
	"flow_id" text,
	"proposal_id" text,
	"message" jsonb NOT NULL,
	"detail" jsonb,
	"created_at" text NOT NULL,
	"read_at" text
);
--> statement-breakpoint
ALTER TABLE "template_notices" ADD CONSTRAINT "template_notices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "template_notices" ADD CONSTRAINT "template_notices_jurisdiction_jurisdictions_code_fk" FOREIGN KEY ("jurisdiction") REFERENCES "public"."jurisdictions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "template_notices_mine" ON "template_notices" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "template_notices_unread" ON "template_notices" USING btree ("user_id","read_at");