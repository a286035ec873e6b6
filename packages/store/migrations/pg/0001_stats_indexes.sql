DROP INDEX "cases_jurisdiction_status";--> statement-breakpoint
DROP INDEX "cases_petitioner";--> statement-breakpoint
DROP INDEX "tasks_inbox";--> statement-breakpoint
DROP INDEX "tasks_assignee";--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "late" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "cases_received" ON "cases" USING btree ("jurisdiction","created_at_ms","channel","category","urgency","status");--> statement-breakpoint
CREATE INDEX "cases_closed" ON "cases" USING btree ("jurisdiction","status","closed_at_ms","outcome","repeat","late","petitioner_id","created_at_ms","id");--> statement-breakpoint
CREATE INDEX "cases_jurisdiction_status" ON "cases" USING btree ("jurisdiction","status","overdue","created_at_ms");--> statement-breakpoint
CREATE INDEX "cases_petitioner" ON "cases" USING btree ("petitioner_id","repeat","created_at_ms");--> statement-breakpoint
CREATE INDEX "tasks_inbox" ON "tasks" USING btree ("status","jurisdiction","role","assignee","due_ms","opened_at");--> statement-breakpoint
CREATE INDEX "tasks_assignee" ON "tasks" USING btree ("assignee","status","due_ms","opened_at");--> statement-breakpoint
-- Cases that missed a deadline before this column existed: mark row and stored state alike,
-- so the row still equals the replay of its events.
UPDATE "cases" SET "late" = true, "state" = jsonb_set("state", '{late}', 'true'::jsonb) WHERE EXISTS (SELECT 1 FROM "events" e WHERE e."case_id" = "cases"."id" AND e."type" IN ('task.overdue', 'clock.overdue'));