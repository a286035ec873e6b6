CREATE TABLE `calendar_local_days` (
	`jurisdiction` text NOT NULL,
	`year` integer NOT NULL,
	`revision` integer NOT NULL,
	`days` text NOT NULL,
	`entered_by` text,
	`entered_at` text NOT NULL,
	`reason` text,
	PRIMARY KEY(`jurisdiction`, `year`, `revision`),
	FOREIGN KEY (`jurisdiction`) REFERENCES `jurisdictions`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `calendar_local_grants` (
	`jurisdiction` text PRIMARY KEY NOT NULL,
	`granted_by` text,
	`granted_at` text NOT NULL,
	`note` text,
	FOREIGN KEY (`jurisdiction`) REFERENCES `jurisdictions`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `calendar_years` (
	`jurisdiction` text NOT NULL,
	`year` integer NOT NULL,
	`revision` integer NOT NULL,
	`status` text NOT NULL,
	`holidays` text NOT NULL,
	`workdays` text NOT NULL,
	`source_document` text,
	`source_date` text,
	`entered_by` text,
	`entered_at` text NOT NULL,
	`reason` text,
	`recompute_total` integer DEFAULT 0 NOT NULL,
	`recompute_done` integer DEFAULT 0 NOT NULL,
	`recompute_moved` integer DEFAULT 0 NOT NULL,
	`recomputed_at` text,
	PRIMARY KEY(`jurisdiction`, `year`, `revision`),
	FOREIGN KEY (`jurisdiction`) REFERENCES `jurisdictions`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `cases` ADD `provisional` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `cases_provisional` ON `cases` (`provisional`,`status`,`jurisdiction`);