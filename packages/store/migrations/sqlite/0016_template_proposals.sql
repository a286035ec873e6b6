CREATE TABLE `template_proposals` (
	`id` text PRIMARY KEY NOT NULL,
	`jurisdiction` text NOT NULL,
	`flow_id` text NOT NULL,
	`template_key` text NOT NULL,
	`template_version` integer NOT NULL,
	`changes` text NOT NULL,
	`note` text NOT NULL,
	`status` text NOT NULL,
	`proposed_by` text,
	`proposed_at` text NOT NULL,
	`answered_by` text,
	`answered_at` text,
	`answer` text,
	`merged` text,
	`seen_at` text,
	FOREIGN KEY (`jurisdiction`) REFERENCES `jurisdictions`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`flow_id`) REFERENCES `flows`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `template_proposals_template_idx` ON `template_proposals` (`template_key`,`status`);--> statement-breakpoint
CREATE INDEX `template_proposals_jurisdiction_idx` ON `template_proposals` (`jurisdiction`,`status`);