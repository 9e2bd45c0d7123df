CREATE TABLE `category_settings` (
	`category_id` text PRIMARY KEY NOT NULL,
	`required_facts` text NOT NULL,
	`updated_by` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `product_screenings` (
	`product_id` text PRIMARY KEY NOT NULL,
	`verdict` text NOT NULL,
	`held` integer NOT NULL,
	`matches` text NOT NULL,
	`duplicates` text NOT NULL,
	`dictionary_version` integer NOT NULL,
	`screened_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `correction_notices` (
	`id` text PRIMARY KEY NOT NULL,
	`spot_check_id` text NOT NULL,
	`item_id` text NOT NULL,
	`product_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`product_title` text NOT NULL,
	`reason` text NOT NULL,
	`deadline_at` integer NOT NULL,
	`status` text NOT NULL,
	`correction_note` text,
	`corrected_at` integer,
	`accepted_at` integer,
	`reopen_count` integer DEFAULT 0 NOT NULL,
	`taken_down_at` integer,
	`takedown_reason` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `correction_notices_active_uq` ON `correction_notices` (`product_id`) WHERE status IN ('open', 'corrected', 'taken_down');--> statement-breakpoint
CREATE INDEX `correction_notices_due_idx` ON `correction_notices` (`status`,`deadline_at`);--> statement-breakpoint
CREATE INDEX `correction_notices_merchant_idx` ON `correction_notices` (`merchant_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `correction_notices_check_idx` ON `correction_notices` (`spot_check_id`);--> statement-breakpoint
CREATE TABLE `spot_check_items` (
	`id` text PRIMARY KEY NOT NULL,
	`spot_check_id` text NOT NULL,
	`product_id` text NOT NULL,
	`product_title` text NOT NULL,
	`verdict` text NOT NULL,
	`matches` text NOT NULL,
	`duplicates` text NOT NULL,
	`missing_facts` text NOT NULL,
	`passes` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `spot_check_items_uq` ON `spot_check_items` (`spot_check_id`,`product_id`);--> statement-breakpoint
CREATE TABLE `spot_checks` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`mode` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`created_by` text NOT NULL,
	`idempotency_key` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `spot_checks_created_idx` ON `spot_checks` (`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `spot_checks_idem_uq` ON `spot_checks` (`created_by`,`idempotency_key`);--> statement-breakpoint
ALTER TABLE `products` ADD `off_sale_reason` text;--> statement-breakpoint
ALTER TABLE `merchant_applications` ADD `screening_verdict` text;--> statement-breakpoint
ALTER TABLE `merchant_applications` ADD `screening_matches` text;