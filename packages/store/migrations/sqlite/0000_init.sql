CREATE TABLE `adoptions` (
	`id` text PRIMARY KEY NOT NULL,
	`jurisdiction` text NOT NULL,
	`template_key` text NOT NULL,
	`template_version` integer NOT NULL,
	`flow_id` text NOT NULL,
	`overlay` text NOT NULL,
	`adopted_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`jurisdiction`) REFERENCES `jurisdictions`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`flow_id`) REFERENCES `flows`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `adoptions_flow` ON `adoptions` (`flow_id`);--> statement-breakpoint
CREATE TABLE `attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text,
	`name` text NOT NULL,
	`mime` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`storage_path` text NOT NULL,
	`scan` text,
	`uploaded_by` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `attachments_case` ON `attachments` (`case_id`);--> statement-breakpoint
CREATE TABLE `cases` (
	`id` text PRIMARY KEY NOT NULL,
	`jurisdiction` text NOT NULL,
	`received_jurisdiction` text NOT NULL,
	`flow_id` text NOT NULL,
	`flow_key` text NOT NULL,
	`flow_version` integer NOT NULL,
	`status` text NOT NULL,
	`outcome` text,
	`urgency` text,
	`channel` text NOT NULL,
	`category` text,
	`repeat` integer NOT NULL,
	`overdue` integer NOT NULL,
	`tracking_code` text NOT NULL,
	`leader_owner` text,
	`first_handler` text,
	`petitioner_id` text,
	`parent_case_id` text,
	`parent_child_id` text,
	`data` text NOT NULL,
	`state` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at` text NOT NULL,
	`closed_at` text,
	`closed_at_ms` integer,
	FOREIGN KEY (`flow_id`) REFERENCES `flows`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`petitioner_id`) REFERENCES `petitioners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cases_tracking_code_unique` ON `cases` (`tracking_code`);--> statement-breakpoint
CREATE INDEX `cases_jurisdiction_status` ON `cases` (`jurisdiction`,`status`);--> statement-breakpoint
CREATE INDEX `cases_created` ON `cases` (`created_at_ms`);--> statement-breakpoint
CREATE INDEX `cases_petitioner` ON `cases` (`petitioner_id`);--> statement-breakpoint
CREATE TABLE `evaluations` (
	`case_id` text PRIMARY KEY NOT NULL,
	`score` integer NOT NULL,
	`comment` text,
	`via` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `events` (
	`case_id` text NOT NULL,
	`seq` integer NOT NULL,
	`type` text NOT NULL,
	`at` text NOT NULL,
	`by` text,
	`body` text NOT NULL,
	PRIMARY KEY(`case_id`, `seq`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `flow_versions` (
	`flow_id` text NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`content_hash` text NOT NULL,
	`published_at` text NOT NULL,
	`published_by` text,
	`note` text,
	PRIMARY KEY(`flow_id`, `version`),
	FOREIGN KEY (`flow_id`) REFERENCES `flows`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `flows` (
	`id` text PRIMARY KEY NOT NULL,
	`jurisdiction` text NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`draft` text,
	`draft_hash` text,
	`draft_updated_at` text,
	`draft_updated_by` text,
	`latest_version` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`jurisdiction`) REFERENCES `jurisdictions`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `flows_jurisdiction_key` ON `flows` (`jurisdiction`,`key`);--> statement-breakpoint
CREATE TABLE `jurisdictions` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`level` text NOT NULL,
	`parent` text
);
--> statement-breakpoint
CREATE INDEX `jurisdictions_parent_idx` ON `jurisdictions` (`parent`);--> statement-breakpoint
CREATE TABLE `memberships` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`jurisdiction` text NOT NULL,
	`role` text NOT NULL,
	`department` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`jurisdiction`) REFERENCES `jurisdictions`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `memberships_user_idx` ON `memberships` (`user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `memberships_unique` ON `memberships` (`user_id`,`jurisdiction`,`role`,`department`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`recipient` text NOT NULL,
	`message` text NOT NULL,
	`task_id` text,
	`created_at` text NOT NULL,
	`delivered_at` text,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `notifications_undelivered` ON `notifications` (`delivered_at`);--> statement-breakpoint
CREATE TABLE `petitioners` (
	`id` text PRIMARY KEY NOT NULL,
	`jurisdiction` text NOT NULL,
	`name_enc` text,
	`id_card_enc` text,
	`phone_enc` text,
	`id_card_hash` text,
	`phone_hash` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `petitioners_id_card_hash` ON `petitioners` (`id_card_hash`);--> statement-breakpoint
CREATE INDEX `petitioners_phone_hash` ON `petitioners` (`phone_hash`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at_ms` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`node` text NOT NULL,
	`name` text NOT NULL,
	`form` text,
	`role` text NOT NULL,
	`jurisdiction` text NOT NULL,
	`department` text,
	`group_name` text,
	`preferred_user` text,
	`assignee` text,
	`status` text NOT NULL,
	`due_state` text NOT NULL,
	`opened_at` text NOT NULL,
	`due` text,
	`due_ms` integer,
	`closed_at` text,
	`close_reason` text,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `tasks_inbox` ON `tasks` (`status`,`jurisdiction`,`role`);--> statement-breakpoint
CREATE INDEX `tasks_assignee` ON `tasks` (`assignee`,`status`);--> statement-breakpoint
CREATE INDEX `tasks_case` ON `tasks` (`case_id`);--> statement-breakpoint
CREATE TABLE `template_versions` (
	`key` text NOT NULL,
	`version` integer NOT NULL,
	`manifest` text NOT NULL,
	`flow` text NOT NULL,
	`forms` text NOT NULL,
	`readme` text NOT NULL,
	`content_hash` text NOT NULL,
	`published_at` text NOT NULL,
	`published_by` text,
	PRIMARY KEY(`key`, `version`),
	FOREIGN KEY (`key`) REFERENCES `templates`(`key`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `templates` (
	`key` text PRIMARY KEY NOT NULL,
	`publisher` text NOT NULL,
	`name` text NOT NULL,
	`latest_version` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `timers` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`due` text NOT NULL,
	`due_ms` integer NOT NULL,
	`purpose` text,
	`status` text NOT NULL,
	`claimed_by` text,
	`claimed_until_ms` integer,
	`fired_at` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `timers_due` ON `timers` (`status`,`due_ms`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`password_hash` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);