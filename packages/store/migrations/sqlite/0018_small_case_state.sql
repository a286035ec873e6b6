-- Comments and attachment references left the case state (issue 18): they stay in their
-- events, so a transition no longer rewrites them. Rows of archived cases keep them, as
-- their digest in case_archives was taken with them (restore takes them out).
UPDATE `cases` SET `state` = json_remove(`state`, '$.comments', '$.attachments')
WHERE (json_type(`state`, '$.comments') IS NOT NULL OR json_type(`state`, '$.attachments') IS NOT NULL)
  AND `id` NOT IN (SELECT `case_id` FROM `case_archives`);
