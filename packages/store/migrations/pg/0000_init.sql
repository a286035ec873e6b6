CREATE TABLE "adoptions" (
	"id" text PRIMARY KEY NOT NULL,
	"jurisdiction" text NOT NULL,
	"template_key" text NOT NULL,
	"template_version" integer NOT NULL,
	"flow_id" text NOT NULL,
	"overlay" jsonb NOT NULL,
	"adopted_at" text NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attachments" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text,
	"name" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_path" text NOT NULL,
	"scan" jsonb,
	"uploaded_by" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" text PRIMARY KEY NOT NULL,
	"jurisdiction" text NOT NULL,
	"received_jurisdiction" text NOT NULL,
	"flow_id" text NOT NULL,
	"flow_key" text NOT NULL,
	"flow_version" integer NOT NULL,
	"status" text NOT NULL,
	"outcome" text,
	"urgency" text,
	"channel" text NOT NULL,
	"category" text,
	"repeat" boolean NOT NULL,
	"overdue" boolean NOT NULL,
	"tracking_code" text NOT NULL,
	"leader_owner" text,
	"first_handler" text,
	"petitioner_id" text,
	"parent_case_id" text,
	"parent_child_id" text,
	"data" jsonb NOT NULL,
	"state" jsonb NOT NULL,
	"version" integer NOT NULL,
	"created_at" text NOT NULL,
	"created_at_ms" bigint NOT NULL,
	"updated_at" text NOT NULL,
	"closed_at" text,
	"closed_at_ms" bigint,
	CONSTRAINT "cases_tracking_code_unique" UNIQUE("tracking_code")
);
--> statement-breakpoint
CREATE TABLE "evaluations" (
	"case_id" text PRIMARY KEY NOT NULL,
	"score" integer NOT NULL,
	"comment" text,
	"via" text NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"case_id" text NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"at" text NOT NULL,
	"by" text,
	"body" jsonb NOT NULL,
	CONSTRAINT "events_case_id_seq_pk" PRIMARY KEY("case_id","seq")
);
--> statement-breakpoint
CREATE TABLE "flow_versions" (
	"flow_id" text NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"published_at" text NOT NULL,
	"published_by" text,
	"note" text,
	CONSTRAINT "flow_versions_flow_id_version_pk" PRIMARY KEY("flow_id","version")
);
--> statement-breakpoint
CREATE TABLE "flows" (
	"id" text PRIMARY KEY NOT NULL,
	"jurisdiction" text NOT NULL,
	"key" text NOT NULL,
	"name" jsonb NOT NULL,
	"draft" jsonb,
	"draft_hash" text,
	"draft_updated_at" text,
	"draft_updated_by" text,
	"latest_version" integer DEFAULT 0 NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jurisdictions" (
	"code" text PRIMARY KEY NOT NULL,
	"name" jsonb NOT NULL,
	"level" text NOT NULL,
	"parent" text
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"jurisdiction" text NOT NULL,
	"role" text NOT NULL,
	"department" text
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"recipient" jsonb NOT NULL,
	"message" jsonb NOT NULL,
	"task_id" text,
	"created_at" text NOT NULL,
	"delivered_at" text
);
--> statement-breakpoint
CREATE TABLE "petitioners" (
	"id" text PRIMARY KEY NOT NULL,
	"jurisdiction" text NOT NULL,
	"name_enc" text,
	"id_card_enc" text,
	"phone_enc" text,
	"id_card_hash" text,
	"phone_hash" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"created_at" text NOT NULL,
	"expires_at_ms" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"node" text NOT NULL,
	"name" jsonb NOT NULL,
	"form" text,
	"role" text NOT NULL,
	"jurisdiction" text NOT NULL,
	"department" text,
	"group_name" text,
	"preferred_user" text,
	"assignee" text,
	"status" text NOT NULL,
	"due_state" text NOT NULL,
	"opened_at" text NOT NULL,
	"due" text,
	"due_ms" bigint,
	"closed_at" text,
	"close_reason" text
);
--> statement-breakpoint
CREATE TABLE "template_versions" (
	"key" text NOT NULL,
	"version" integer NOT NULL,
	"manifest" jsonb NOT NULL,
	"flow" jsonb NOT NULL,
	"forms" jsonb NOT NULL,
	"readme" text NOT NULL,
	"content_hash" text NOT NULL,
	"published_at" text NOT NULL,
	"published_by" text,
	CONSTRAINT "template_versions_key_version_pk" PRIMARY KEY("key","version")
);
--> statement-breakpoint
CREATE TABLE "templates" (
	"key" text PRIMARY KEY NOT NULL,
	"publisher" text NOT NULL,
	"name" jsonb NOT NULL,
	"latest_version" integer DEFAULT 0 NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "timers" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"due" text NOT NULL,
	"due_ms" bigint NOT NULL,
	"purpose" jsonb,
	"status" text NOT NULL,
	"claimed_by" text,
	"claimed_until_ms" bigint,
	"fired_at" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" text NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
ALTER TABLE "adoptions" ADD CONSTRAINT "adoptions_jurisdiction_jurisdictions_code_fk" FOREIGN KEY ("jurisdiction") REFERENCES "public"."jurisdictions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adoptions" ADD CONSTRAINT "adoptions_flow_id_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."flows"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_flow_id_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."flows"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_petitioner_id_petitioners_id_fk" FOREIGN KEY ("petitioner_id") REFERENCES "public"."petitioners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_versions" ADD CONSTRAINT "flow_versions_flow_id_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."flows"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flows" ADD CONSTRAINT "flows_jurisdiction_jurisdictions_code_fk" FOREIGN KEY ("jurisdiction") REFERENCES "public"."jurisdictions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_jurisdiction_jurisdictions_code_fk" FOREIGN KEY ("jurisdiction") REFERENCES "public"."jurisdictions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "template_versions" ADD CONSTRAINT "template_versions_key_templates_key_fk" FOREIGN KEY ("key") REFERENCES "public"."templates"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "timers" ADD CONSTRAINT "timers_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "adoptions_flow" ON "adoptions" USING btree ("flow_id");--> statement-breakpoint
CREATE INDEX "attachments_case" ON "attachments" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "cases_jurisdiction_status" ON "cases" USING btree ("jurisdiction","status");--> statement-breakpoint
CREATE INDEX "cases_created" ON "cases" USING btree ("created_at_ms");--> statement-breakpoint
CREATE INDEX "cases_petitioner" ON "cases" USING btree ("petitioner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "flows_jurisdiction_key" ON "flows" USING btree ("jurisdiction","key");--> statement-breakpoint
CREATE INDEX "jurisdictions_parent_idx" ON "jurisdictions" USING btree ("parent");--> statement-breakpoint
CREATE INDEX "memberships_user_idx" ON "memberships" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "memberships_unique" ON "memberships" USING btree ("user_id","jurisdiction","role","department");--> statement-breakpoint
CREATE INDEX "notifications_undelivered" ON "notifications" USING btree ("delivered_at");--> statement-breakpoint
CREATE INDEX "petitioners_id_card_hash" ON "petitioners" USING btree ("id_card_hash");--> statement-breakpoint
CREATE INDEX "petitioners_phone_hash" ON "petitioners" USING btree ("phone_hash");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "tasks_inbox" ON "tasks" USING btree ("status","jurisdiction","role");--> statement-breakpoint
CREATE INDEX "tasks_assignee" ON "tasks" USING btree ("assignee","status");--> statement-breakpoint
CREATE INDEX "tasks_case" ON "tasks" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "timers_due" ON "timers" USING btree ("status","due_ms");