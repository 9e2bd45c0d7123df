CREATE TABLE `checkin_settings` (
	`id` text PRIMARY KEY NOT NULL,
	`enabled` integer NOT NULL,
	`daily_points` integer NOT NULL,
	`cycle_days` integer,
	`bonuses` text NOT NULL,
	`makeup_window_days` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `checkins` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`day` text NOT NULL,
	`kind` text NOT NULL,
	`streak` integer NOT NULL,
	`points` integer NOT NULL,
	`bonus_points` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `checkins_user_day_uq` ON `checkins` (`user_id`,`day`);--> statement-breakpoint
CREATE INDEX `checkins_day_idx` ON `checkins` (`day`);--> statement-breakpoint
CREATE TABLE `makeup_card_ledger` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`delta` integer NOT NULL,
	`reason` text NOT NULL,
	`ref` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `makeup_card_ledger_ref_uq` ON `makeup_card_ledger` (`ref`);--> statement-breakpoint
CREATE INDEX `makeup_card_ledger_user_idx` ON `makeup_card_ledger` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `member_task_claims` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`task_id` text NOT NULL,
	`period` text NOT NULL,
	`reward_kind` text NOT NULL,
	`points` integer,
	`coupon_template_id` text,
	`coupon_id` text,
	`cards` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `member_task_claims_uq` ON `member_task_claims` (`user_id`,`task_id`,`period`);--> statement-breakpoint
CREATE INDEX `member_task_claims_task_idx` ON `member_task_claims` (`task_id`,`period`);--> statement-breakpoint
CREATE TABLE `member_task_events` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`ref` text NOT NULL,
	`day` text NOT NULL,
	`value` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `member_task_events_uq` ON `member_task_events` (`user_id`,`kind`,`ref`);--> statement-breakpoint
CREATE INDEX `member_task_events_day_idx` ON `member_task_events` (`user_id`,`kind`,`day`);--> statement-breakpoint
CREATE TABLE `member_tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`description` text,
	`kind` text NOT NULL,
	`period` text NOT NULL,
	`target_count` integer NOT NULL,
	`browse_seconds` integer,
	`reward_kind` text NOT NULL,
	`reward_points` integer,
	`reward_coupon_template_id` text,
	`reward_cards` integer,
	`enabled` integer NOT NULL,
	`sort_order` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `member_tasks_order_idx` ON `member_tasks` (`enabled`,`sort_order`);