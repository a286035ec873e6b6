ALTER TABLE "cases" ADD COLUMN "search_text" text;--> statement-breakpoint
ALTER TABLE "petitioners" ADD COLUMN "name_hash" text;--> statement-breakpoint
CREATE INDEX "cases_leader" ON "cases" USING btree ("leader_owner","created_at_ms");--> statement-breakpoint
CREATE INDEX "petitioners_name_hash" ON "petitioners" USING btree ("name_hash");--> statement-breakpoint
-- Full-text search (src/search.ts): the tokens are already cut, so the 'simple' configuration only splits them at spaces.
CREATE INDEX "cases_search" ON "cases" USING gin (to_tsvector('simple', "search_text"));
