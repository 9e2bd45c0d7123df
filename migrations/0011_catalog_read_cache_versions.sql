CREATE TABLE `catalog_versions` (
	`scope` text PRIMARY KEY NOT NULL,
	`token` text NOT NULL,
	`changed_at` integer NOT NULL
);
--> statement-breakpoint
-- Random first tokens: a fresh database (a new test file, a wiped dev state) never shares a token
-- with one an isolate has already cached entries under.
INSERT INTO `catalog_versions` (`scope`, `token`, `changed_at`) VALUES ('listing', lower(hex(randomblob(8))), 0), ('taxonomy', lower(hex(randomblob(8))), 0);
