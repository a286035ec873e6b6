DROP INDEX "cases_closed";--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "visit_satisfaction" integer;--> statement-breakpoint
CREATE INDEX "cases_closed" ON "cases" USING btree ("jurisdiction","status","closed_at_ms","outcome","repeat","late","visit_satisfaction","petitioner_id","created_at_ms","id");--> statement-breakpoint
-- Cases that recorded a return visit before this column existed: the column is
-- derived from the case data exactly as caseColumns() derives it (stats.ts,
-- returnVisitScore), so the row still equals the replay of its events.
UPDATE "cases" SET "visit_satisfaction" = CASE
  WHEN jsonb_typeof("data"->'satisfaction') = 'number' THEN
    CASE WHEN ("data"->>'satisfaction')::numeric IN (1, 2, 3, 4, 5) THEN ("data"->>'satisfaction')::numeric::integer END
  WHEN jsonb_typeof("data"->'satisfaction') = 'string' THEN
    CASE
      WHEN "data"->>'satisfaction' IN ('satisfied', '满意') THEN 5
      WHEN "data"->>'satisfaction' IN ('basicallySatisfied', '基本满意') THEN 4
      WHEN "data"->>'satisfaction' IN ('dissatisfied', '不满意') THEN 2
    END
END WHERE "data" ? 'satisfaction';
