DROP INDEX `cases_jurisdiction_status`;--> statement-breakpoint
DROP INDEX `cases_petitioner`;--> statement-breakpoint
ALTER TABLE `cases` ADD `late` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `cases_received` ON `cases` (`jurisdiction`,`created_at_ms`,`channel`,`category`,`urgency`,`status`);--> statement-breakpoint
CREATE INDEX `cases_closed` ON `cases` (`jurisdiction`,`status`,`closed_at_ms`,`outcome`,`repeat`,`late`,`petitioner_id`,`created_at_ms`,`id`);--> statement-breakpoint
CREATE INDEX `cases_jurisdiction_status` ON `cases` (`jurisdiction`,`status`,`overdue`,`created_at_ms`);--> statement-breakpoint
CREATE INDEX `cases_petitioner` ON `cases` (`petitioner_id`,`repeat`,`created_at_ms`);--> statement-breakpoint
DROP INDEX `tasks_inbox`;--> statement-breakpoint
DROP INDEX `tasks_assignee`;--> statement-breakpoint
CREATE INDEX `tasks_inbox` ON `tasks` (`status`,`jurisdiction`,`role`,`assignee`,`due_ms`,`opened_at`);--> statement-breakpoint
CREATE INDEX `tasks_assignee` ON `tasks` (`assignee`,`status`,`due_ms`,`opened_at`);--> statement-breakpoint
-- Cases that missed a deadline before this column existed: mark row and stored state alike,
-- so the row still equals the replay of its events.
UPDATE `cases` SET `late` = 1, `state` = json_set(`state`, '$.late', json('true')) WHERE EXISTS (SELECT 1 FROM `events` e WHERE e.`case_id` = `cases`.`id` AND e.`type` IN ('task.overdue', 'clock.overdue'));