CREATE TABLE `document_serials` (
	`jurisdiction` text NOT NULL,
	`kind` text NOT NULL,
	`year` integer NOT NULL,
	`last` integer NOT NULL,
	PRIMARY KEY(`jurisdiction`, `kind`, `year`)
);
--> statement-breakpoint
CREATE TABLE `document_templates` (
	`jurisdiction` text NOT NULL,
	`kind` text NOT NULL,
	`serial_prefix` text NOT NULL,
	`issuer` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`revision` integer NOT NULL,
	`updated_by` text,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`jurisdiction`, `kind`),
	FOREIGN KEY (`jurisdiction`) REFERENCES `jurisdictions`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `documents` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`jurisdiction` text NOT NULL,
	`kind` text NOT NULL,
	`year` integer NOT NULL,
	`number` integer NOT NULL,
	`serial` text NOT NULL,
	`edge` text NOT NULL,
	`case_version` integer NOT NULL,
	`content` text NOT NULL,
	`template_revision` integer NOT NULL,
	`issued_at` text NOT NULL,
	`issued_by` text,
	`attachment_id` text,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `documents_serial` ON `documents` (`jurisdiction`,`kind`,`year`,`number`);--> statement-breakpoint
CREATE INDEX `documents_case` ON `documents` (`case_id`);