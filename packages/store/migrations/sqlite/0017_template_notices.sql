CREATE TABLE `template_notices` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`template_key` text NOT NULL,
	`template_version` integer NOT NULL,
	`jurisdiction` text NOT NULL,
	`flow_id` text,
	`proposal_id` text,
	`message` text NOT NULL,
	`detail` text,
	`created_at` text NOT NULL,
	`read_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`jurisdiction`) REFERENCES `jurisdictions`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `template_notices_mine` ON `template_notices` (`user_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `template_notices_unread` ON `template_notices` (`user_id`,`read_at`);