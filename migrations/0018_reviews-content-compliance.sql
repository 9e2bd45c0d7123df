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
CREATE INDEX `home_sections_pos_idx` ON `home_sections` (`enabled`,`position`);--> statement-breakpoint
CREATE TABLE `review_reports` (
	`review_id` text NOT NULL,
	`user_id` text NOT NULL,
	`reason` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`review_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `review_votes` (
	`review_id` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`review_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`order_line_id` text NOT NULL,
	`order_id` text NOT NULL,
	`user_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`product_id` text NOT NULL,
	`sku_id` text NOT NULL,
	`product_title` text NOT NULL,
	`spec_key` text NOT NULL,
	`rating` integer NOT NULL,
	`text` text NOT NULL,
	`photo_keys` text DEFAULT '[]' NOT NULL,
	`video_key` text,
	`has_media` integer DEFAULT 0 NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`anonymous` integer DEFAULT false NOT NULL,
	`status` text NOT NULL,
	`hold_reason` text,
	`reject_reason` text,
	`screening` text NOT NULL,
	`published_at` integer,
	`announced_at` integer,
	`helpful_count` integer DEFAULT 0 NOT NULL,
	`report_count` integer DEFAULT 0 NOT NULL,
	`report_baseline` integer DEFAULT 0 NOT NULL,
	`append_text` text,
	`append_photo_keys` text,
	`append_status` text,
	`append_hold_reason` text,
	`append_reject_reason` text,
	`append_screening` text,
	`appended_at` integer,
	`reply_text` text,
	`reply_by` text,
	`replied_at` integer,
	`idempotency_key` text,
	`moderated_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "reviews_rating_range" CHECK("reviews"."rating" BETWEEN 1 AND 5),
	CONSTRAINT "reviews_counts_nonneg" CHECK("reviews"."helpful_count" >= 0 AND "reviews"."report_count" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reviews_order_line_uq` ON `reviews` (`order_line_id`);--> statement-breakpoint
CREATE INDEX `reviews_unannounced_idx` ON `reviews` (`published_at`) WHERE announced_at IS NULL AND published_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `reviews_product_list_idx` ON `reviews` (`product_id`,`status`,`has_media`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `reviews_user_idx` ON `reviews` (`user_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `reviews_merchant_idx` ON `reviews` (`merchant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `reviews_pending_idx` ON `reviews` (`created_at`,`id`) WHERE status = 'pending' OR append_status = 'pending';--> statement-breakpoint
ALTER TABLE `products` ADD `off_sale_reason` text;--> statement-breakpoint
ALTER TABLE `merchant_applications` ADD `screening_verdict` text;--> statement-breakpoint
ALTER TABLE `merchant_applications` ADD `screening_matches` text;--> statement-breakpoint
ALTER TABLE `support_messages` ADD `screen_verdict` text;--> statement-breakpoint
ALTER TABLE `support_messages` ADD `screen_matches` text;--> statement-breakpoint
ALTER TABLE `support_tickets` ADD `escalation_level` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `support_tickets` ADD `escalated_at` integer;--> statement-breakpoint
ALTER TABLE `support_tickets` ADD `compensation_template_id` text;--> statement-breakpoint
ALTER TABLE `support_tickets` ADD `compensation_coupon_id` text;