CREATE TABLE `key_ring` (
	`kid` text PRIMARY KEY NOT NULL,
	`fingerprint` text NOT NULL,
	`added_at` text NOT NULL,
	`retired_at` text
);
