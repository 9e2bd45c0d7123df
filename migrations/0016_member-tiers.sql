CREATE TABLE `member_birthday_gifts` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`year` integer NOT NULL,
	`tier_id` text NOT NULL,
	`kind` text NOT NULL,
	`coupon_id` text,
	`points` integer,
	`status` text NOT NULL,
	`note` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `member_birthday_gifts_user_year_uq` ON `member_birthday_gifts` (`user_id`,`year`);--> statement-breakpoint
CREATE TABLE `growth_ledger` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`delta` integer NOT NULL,
	`reason` text NOT NULL,
	`ref` text NOT NULL,
	`note` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `growth_ledger_ref_uq` ON `growth_ledger` (`ref`);--> statement-breakpoint
CREATE INDEX `growth_ledger_user_idx` ON `growth_ledger` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `member_growth_settings` (
	`id` text PRIMARY KEY NOT NULL,
	`growth_per_yuan` integer NOT NULL,
	`growth_per_order` integer NOT NULL,
	`points_per_yuan` integer NOT NULL,
	`review_months` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text
);
--> statement-breakpoint
CREATE TABLE `member_job_runs` (
	`job` text NOT NULL,
	`day` text NOT NULL,
	`cursor` text,
	`done` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`job`, `day`)
);
--> statement-breakpoint
CREATE TABLE `member_states` (
	`user_id` text PRIMARY KEY NOT NULL,
	`tier_id` text NOT NULL,
	`tier_since` integer NOT NULL,
	`review_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `member_states_review_idx` ON `member_states` (`review_at`);--> statement-breakpoint
CREATE INDEX `member_states_tier_idx` ON `member_states` (`tier_id`);--> statement-breakpoint
CREATE TABLE `member_tier_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`from_tier_id` text,
	`from_name` text,
	`to_tier_id` text NOT NULL,
	`to_name` text NOT NULL,
	`reason` text NOT NULL,
	`growth` integer NOT NULL,
	`ref` text NOT NULL,
	`note` text,
	`staff_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `member_tier_changes_ref_uq` ON `member_tier_changes` (`ref`);--> statement-breakpoint
CREATE INDEX `member_tier_changes_user_idx` ON `member_tier_changes` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `member_tiers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`rank` integer NOT NULL,
	`threshold` integer NOT NULL,
	`icon_name` text NOT NULL,
	`icon_color` text NOT NULL,
	`icon_media_key` text,
	`member_price` integer DEFAULT false NOT NULL,
	`discount_rate` integer,
	`free_shipping_threshold` integer,
	`points_multiplier` integer DEFAULT 100 NOT NULL,
	`birthday_gift_kind` text DEFAULT 'none' NOT NULL,
	`birthday_coupon_template_id` text,
	`birthday_points` integer,
	`support_priority` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `member_tiers_active_rank_uq` ON `member_tiers` (`rank`) WHERE status = 'active';--> statement-breakpoint
ALTER TABLE `users` ADD `birthday` text;--> statement-breakpoint
ALTER TABLE `users` ADD `birthday_md` text;--> statement-breakpoint
ALTER TABLE `users` ADD `birthday_set_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `gender` text;--> statement-breakpoint
CREATE INDEX `users_birthday_md_idx` ON `users` (`birthday_md`,`id`);