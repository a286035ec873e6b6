-- Comments and attachment references left the case state (issue 18): they stay in their
-- events, so a transition no longer rewrites them. Rows of archived cases keep them, as
-- their digest in case_archives was taken with them (restore takes them out).
UPDATE "cases" SET "state" = "state" - 'comments' - 'attachments'
WHERE ("state" ? 'comments' OR "state" ? 'attachments')
  AND "id" NOT IN (SELECT "case_id" FROM "case_archives");
