CREATE TABLE `supervisions` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`jurisdiction` text NOT NULL,
	`reason` text NOT NULL,
	`to` text NOT NULL,
	`issued_by` text NOT NULL,
	`issued_at_ms` integer NOT NULL,
	`deadline_ms` integer NOT NULL,
	`status` text NOT NULL,
	`answered_at_ms` integer,
	`closed_at_ms` integer,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `supervisions_case` ON `supervisions` (`case_id`,`status`);--> statement-breakpoint
CREATE INDEX `supervisions_issued` ON `supervisions` (`jurisdiction`,`issued_at_ms`);--> statement-breakpoint
CREATE INDEX `supervisions_open` ON `supervisions` (`status`,`jurisdiction`,`deadline_ms`);--> statement-breakpoint
ALTER TABLE `cases` ADD `awaiting_approval` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `cases_awaiting_approval` ON `cases` (`awaiting_approval`,`jurisdiction`);--> statement-breakpoint
-- Cases already waiting on a leader's decision when this migration runs.
UPDATE `cases` SET `awaiting_approval` = 1 WHERE json_extract(`state`, '$.extensionRequests') <> '{}';