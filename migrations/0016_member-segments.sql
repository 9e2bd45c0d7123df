CREATE TABLE `member_layer_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`from_layer` text,
	`to_layer` text NOT NULL,
	`day` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `member_layer_changes_uq` ON `member_layer_changes` (`user_id`,`day`);--> statement-breakpoint
CREATE INDEX `member_layer_changes_day_idx` ON `member_layer_changes` (`day`,`to_layer`);--> statement-breakpoint
CREATE TABLE `member_profiles` (
	`user_id` text PRIMARY KEY NOT NULL,
	`layer` text NOT NULL,
	`layer_since` integer NOT NULL,
	`registered_at` integer NOT NULL,
	`order_count` integer NOT NULL,
	`spend` integer NOT NULL,
	`last_order_at` integer,
	`city` text,
	`tier_id` text,
	`day` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `member_profiles_layer_idx` ON `member_profiles` (`layer`,`user_id`);--> statement-breakpoint
CREATE INDEX `member_profiles_spend_idx` ON `member_profiles` (`spend`);--> statement-breakpoint
CREATE INDEX `member_profiles_last_order_idx` ON `member_profiles` (`last_order_at`);--> statement-breakpoint
CREATE INDEX `member_profiles_city_idx` ON `member_profiles` (`city`);--> statement-breakpoint
CREATE INDEX `member_profiles_tier_idx` ON `member_profiles` (`tier_id`);--> statement-breakpoint
CREATE TABLE `member_segments` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`rules` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `member_segments_name_unique` ON `member_segments` (`name`);--> statement-breakpoint
CREATE TABLE `member_tags` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `member_tags_name_unique` ON `member_tags` (`name`);--> statement-breakpoint
CREATE TABLE `member_user_tags` (
	`user_id` text NOT NULL,
	`tag_id` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `tag_id`)
);
--> statement-breakpoint
CREATE INDEX `member_user_tags_tag_idx` ON `member_user_tags` (`tag_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `segment_runs` (
	`day` text PRIMARY KEY NOT NULL,
	`phase` text NOT NULL,
	`cursor` text NOT NULL,
	`processed` integer DEFAULT 0 NOT NULL,
	`changes` integer DEFAULT 0 NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE TABLE `segment_settings` (
	`id` text PRIMARY KEY NOT NULL,
	`new_days` integer NOT NULL,
	`dormant_days` integer NOT NULL,
	`lost_days` integer NOT NULL,
	`win_back_enabled` integer NOT NULL,
	`win_back_template_ids` text NOT NULL,
	`win_back_cooldown_days` integer NOT NULL,
	`win_back_return_days` integer NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "segment_settings_thresholds" CHECK("segment_settings"."new_days" >= 1 AND "segment_settings"."dormant_days" >= 1 AND "segment_settings"."lost_days" > "segment_settings"."dormant_days")
);
--> statement-breakpoint
CREATE TABLE `segment_sizes` (
	`day` text NOT NULL,
	`segment_id` text NOT NULL,
	`size` integer NOT NULL,
	PRIMARY KEY(`segment_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `win_back_grants` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`day` text NOT NULL,
	`status` text NOT NULL,
	`coupon_ids` text DEFAULT '[]' NOT NULL,
	`failure` text,
	`created_at` integer NOT NULL,
	`issued_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `win_back_grants_uq` ON `win_back_grants` (`user_id`,`day`);--> statement-breakpoint
CREATE INDEX `win_back_grants_status_idx` ON `win_back_grants` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `win_back_grants_user_idx` ON `win_back_grants` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `win_back_grants_issued_idx` ON `win_back_grants` (`issued_at`);--> statement-breakpoint
CREATE TABLE `win_back_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`grant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`template` text NOT NULL,
	`variables` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `win_back_messages_grant_id_unique` ON `win_back_messages` (`grant_id`);--> statement-breakpoint
CREATE INDEX `win_back_messages_status_idx` ON `win_back_messages` (`status`,`created_at`);