CREATE TABLE `content_events` (
	`id` text PRIMARY KEY NOT NULL,
	`content_id` text NOT NULL,
	`subject` text NOT NULL,
	`kind` text NOT NULL,
	`ref` text NOT NULL,
	`day` text NOT NULL,
	`value` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `content_events_uq` ON `content_events` (`content_id`,`subject`,`kind`,`ref`,`day`);--> statement-breakpoint
CREATE INDEX `content_events_subject_idx` ON `content_events` (`subject`,`day`);--> statement-breakpoint
CREATE TABLE `content_items` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`summary` text,
	`cover_media_key` text,
	`body` text NOT NULL,
	`product_ids` text NOT NULL,
	`tags` text NOT NULL,
	`season_tag` text,
	`status` text NOT NULL,
	`publish_at` integer,
	`screen_verdict` text,
	`screen_matches` text,
	`reject_reason` text,
	`takedown_reason` text,
	`flag_state` text NOT NULL,
	`flag_reason` text,
	`flagged_at` integer,
	`likes` integer NOT NULL,
	`dislikes` integer NOT NULL,
	`reports` integer NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `content_items_status_idx` ON `content_items` (`status`,`publish_at`);--> statement-breakpoint
CREATE INDEX `content_items_kind_idx` ON `content_items` (`kind`,`status`,`publish_at`);--> statement-breakpoint
CREATE INDEX `content_items_flag_idx` ON `content_items` (`flag_state`);--> statement-breakpoint
CREATE TABLE `content_metrics_daily` (
	`content_id` text NOT NULL,
	`day` text NOT NULL,
	`views` integer DEFAULT 0 NOT NULL,
	`dwell_seconds` integer DEFAULT 0 NOT NULL,
	`clicks` integer DEFAULT 0 NOT NULL,
	`shares` integer DEFAULT 0 NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`content_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `content_metrics_day_idx` ON `content_metrics_daily` (`day`);--> statement-breakpoint
CREATE TABLE `content_orders` (
	`content_id` text NOT NULL,
	`order_id` text NOT NULL,
	`user_id` text NOT NULL,
	`day` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`content_id`, `order_id`)
);
--> statement-breakpoint
CREATE TABLE `content_reactions` (
	`content_id` text NOT NULL,
	`user_id` text NOT NULL,
	`value` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`content_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `content_reports` (
	`content_id` text NOT NULL,
	`user_id` text NOT NULL,
	`reason` text NOT NULL,
	`note` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`content_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `content_reports_time_idx` ON `content_reports` (`content_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `content_touches` (
	`user_id` text NOT NULL,
	`product_id` text NOT NULL,
	`content_id` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `product_id`, `content_id`)
);
--> statement-breakpoint
CREATE INDEX `content_touches_at_idx` ON `content_touches` (`at`);--> statement-breakpoint
CREATE TABLE `home_sections` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`position` integer NOT NULL,
	`payload` text NOT NULL,
	`starts_at` integer,
	`ends_at` integer,
	`enabled` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `home_sections_pos_idx` ON `home_sections` (`enabled`,`position`);