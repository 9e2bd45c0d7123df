CREATE TABLE `referral_codes` (
	`user_id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referral_codes_code_unique` ON `referral_codes` (`code`);--> statement-breakpoint
CREATE TABLE `referral_devices` (
	`user_id` text NOT NULL,
	`device_hash` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `device_hash`)
);
--> statement-breakpoint
CREATE INDEX `referral_devices_hash_idx` ON `referral_devices` (`device_hash`);--> statement-breakpoint
CREATE TABLE `referral_rewards` (
	`id` text PRIMARY KEY NOT NULL,
	`referral_id` text NOT NULL,
	`side` text NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`amount` integer NOT NULL,
	`coupon_id` text,
	`ref` text NOT NULL,
	`created_at` integer NOT NULL,
	`clawed_back` integer DEFAULT 0 NOT NULL,
	`shortfall` integer DEFAULT 0 NOT NULL,
	`clawed_back_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referral_rewards_ref_uq` ON `referral_rewards` (`ref`);--> statement-breakpoint
CREATE INDEX `referral_rewards_user_idx` ON `referral_rewards` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `referral_rewards_referral_idx` ON `referral_rewards` (`referral_id`);--> statement-breakpoint
CREATE TABLE `referral_settings` (
	`id` text PRIMARY KEY NOT NULL,
	`enabled` integer DEFAULT false NOT NULL,
	`inviter_reward` text NOT NULL,
	`invitee_reward` text NOT NULL,
	`daily_cap` integer NOT NULL,
	`min_order_amount` integer DEFAULT 0 NOT NULL,
	`share_title` text NOT NULL,
	`share_image_url` text,
	`extra_rules` text DEFAULT '' NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `referrals` (
	`id` text PRIMARY KEY NOT NULL,
	`inviter_id` text NOT NULL,
	`invitee_id` text NOT NULL,
	`code` text NOT NULL,
	`via` text NOT NULL,
	`status` text DEFAULT 'registered' NOT NULL,
	`invalid_reason` text,
	`bound_at` integer NOT NULL,
	`order_id` text,
	`decided_at` integer,
	`decided_day` text,
	`clawed_back_at` integer,
	`clawback_note` text,
	CONSTRAINT "referrals_not_self" CHECK("referrals"."inviter_id" <> "referrals"."invitee_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referrals_invitee_uq` ON `referrals` (`invitee_id`);--> statement-breakpoint
CREATE INDEX `referrals_inviter_idx` ON `referrals` (`inviter_id`,`bound_at`);--> statement-breakpoint
CREATE INDEX `referrals_inviter_day_idx` ON `referrals` (`inviter_id`,`decided_day`,`status`);--> statement-breakpoint
CREATE INDEX `referrals_day_idx` ON `referrals` (`decided_day`);--> statement-breakpoint
CREATE INDEX `referrals_order_idx` ON `referrals` (`order_id`);