ALTER TABLE `cases` ADD `search_text` text;--> statement-breakpoint
CREATE INDEX `cases_leader` ON `cases` (`leader_owner`,`created_at_ms`);--> statement-breakpoint
ALTER TABLE `petitioners` ADD `name_hash` text;--> statement-breakpoint
CREATE INDEX `petitioners_name_hash` ON `petitioners` (`name_hash`);--> statement-breakpoint
-- Full-text search (src/search.ts): an FTS5 index over cases.search_text, kept by triggers in the writing transaction.
CREATE VIRTUAL TABLE `cases_fts` USING fts5(search_text, content='cases', tokenize='unicode61 remove_diacritics 0');--> statement-breakpoint
CREATE TRIGGER `cases_fts_insert` AFTER INSERT ON `cases` WHEN new.search_text IS NOT NULL BEGIN
  INSERT INTO cases_fts(rowid, search_text) VALUES (new.rowid, new.search_text);
END;--> statement-breakpoint
CREATE TRIGGER `cases_fts_update` AFTER UPDATE OF search_text ON `cases` WHEN old.search_text IS NOT new.search_text BEGIN
  INSERT INTO cases_fts(cases_fts, rowid, search_text) SELECT 'delete', old.rowid, old.search_text WHERE old.search_text IS NOT NULL;
  INSERT INTO cases_fts(rowid, search_text) SELECT new.rowid, new.search_text WHERE new.search_text IS NOT NULL;
END;--> statement-breakpoint
CREATE TRIGGER `cases_fts_delete` AFTER DELETE ON `cases` WHEN old.search_text IS NOT NULL BEGIN
  INSERT INTO cases_fts(cases_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
END;
