CREATE TABLE `screening_dictionary` (
	`id` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `screening_fingerprints` (
	`kind` text NOT NULL,
	`source_id` text NOT NULL,
	`hash` text NOT NULL,
	`b0` integer NOT NULL,
	`b1` integer NOT NULL,
	`b2` integer NOT NULL,
	`b3` integer NOT NULL,
	`b4` integer NOT NULL,
	`b5` integer NOT NULL,
	`b6` integer NOT NULL,
	`b7` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `screening_fp_source_uq` ON `screening_fingerprints` (`kind`,`source_id`);--> statement-breakpoint
CREATE INDEX `screening_fp_b0` ON `screening_fingerprints` (`b0`);--> statement-breakpoint
CREATE INDEX `screening_fp_b1` ON `screening_fingerprints` (`b1`);--> statement-breakpoint
CREATE INDEX `screening_fp_b2` ON `screening_fingerprints` (`b2`);--> statement-breakpoint
CREATE INDEX `screening_fp_b3` ON `screening_fingerprints` (`b3`);--> statement-breakpoint
CREATE INDEX `screening_fp_b4` ON `screening_fingerprints` (`b4`);--> statement-breakpoint
CREATE INDEX `screening_fp_b5` ON `screening_fingerprints` (`b5`);--> statement-breakpoint
CREATE INDEX `screening_fp_b6` ON `screening_fingerprints` (`b6`);--> statement-breakpoint
CREATE INDEX `screening_fp_b7` ON `screening_fingerprints` (`b7`);--> statement-breakpoint
CREATE TABLE `screening_words` (
	`id` text PRIMARY KEY NOT NULL,
	`term` text NOT NULL,
	`norm` text NOT NULL,
	`category` text NOT NULL,
	`severity` text NOT NULL,
	`hint` text,
	`enabled` integer NOT NULL,
	`version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `screening_words_norm_uq` ON `screening_words` (`norm`);--> statement-breakpoint
CREATE INDEX `screening_words_cat_idx` ON `screening_words` (`category`,`severity`);