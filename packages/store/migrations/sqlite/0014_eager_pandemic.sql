CREATE TABLE `case_archives` (
	`case_id` text PRIMARY KEY NOT NULL,
	`year` integer NOT NULL,
	`file` text NOT NULL,
	`archived_at` text NOT NULL,
	`events` integer NOT NULL,
	`attachments` integer NOT NULL,
	`row_sha256` text NOT NULL,
	`events_sha256` text NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_archives_year` ON `case_archives` (`year`);