CREATE TABLE "attachment_files" (
	"storage_path" text PRIMARY KEY NOT NULL,
	"size" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_at" text NOT NULL
);

--> statement-breakpoint
ALTER TABLE "attachment_files" ALTER COLUMN "bytes" SET STORAGE EXTERNAL;