CREATE TABLE `category_follows` (
	`user_id` text NOT NULL,
	`category_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`digest_day` text DEFAULT '' NOT NULL,
	PRIMARY KEY(`user_id`, `category_id`)
);
--> statement-breakpoint
CREATE INDEX `category_follows_digest_idx` ON `category_follows` (`digest_day`,`user_id`);--> statement-breakpoint
CREATE TABLE `favorites` (
	`user_id` text NOT NULL,
	`product_id` text NOT NULL,
	`price_at_add` integer NOT NULL,
	`ref_price` integer NOT NULL,
	`last_price_notice_at` integer,
	`checked_at` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `product_id`)
);
--> statement-breakpoint
CREATE INDEX `favorites_user_created_idx` ON `favorites` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `favorites_checked_idx` ON `favorites` (`checked_at`);--> statement-breakpoint
CREATE TABLE `restock_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`sku_id` text NOT NULL,
	`product_id` text NOT NULL,
	`status` text DEFAULT 'waiting' NOT NULL,
	`send_id` text,
	`created_at` integer NOT NULL,
	`notified_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `restock_subscriptions_waiting_uq` ON `restock_subscriptions` (`user_id`,`sku_id`) WHERE status = 'waiting';--> statement-breakpoint
CREATE INDEX `restock_subscriptions_status_sku_idx` ON `restock_subscriptions` (`status`,`sku_id`);--> statement-breakpoint
CREATE INDEX `restock_subscriptions_user_idx` ON `restock_subscriptions` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `message_opt_outs` (
	`user_id` text NOT NULL,
	`topic` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `topic`)
);
--> statement-breakpoint
CREATE TABLE `message_sends` (
	`id` text PRIMARY KEY NOT NULL,
	`ref` text NOT NULL,
	`user_id` text NOT NULL,
	`template_key` text NOT NULL,
	`template_id` text,
	`channel` text,
	`purpose` text NOT NULL,
	`vars` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`day` text NOT NULL,
	`week` text NOT NULL,
	`due_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`sent_at` integer,
	CONSTRAINT "message_sends_attempts_nonneg" CHECK("message_sends"."attempts" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `message_sends_ref_uq` ON `message_sends` (`ref`);--> statement-breakpoint
CREATE INDEX `message_sends_user_day_idx` ON `message_sends` (`user_id`,`day`,`status`);--> statement-breakpoint
CREATE INDEX `message_sends_user_week_idx` ON `message_sends` (`user_id`,`week`,`status`);--> statement-breakpoint
CREATE INDEX `message_sends_due_idx` ON `message_sends` (`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `message_sends_created_idx` ON `message_sends` (`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `message_settings` (
	`id` text PRIMARY KEY NOT NULL,
	`daily_cap` integer NOT NULL,
	`weekly_cap` integer NOT NULL,
	`quiet_start_hour` integer NOT NULL,
	`quiet_end_hour` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `message_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`channel` text NOT NULL,
	`purpose` text NOT NULL,
	`wx_template_id` text,
	`fields` text,
	`page` text,
	`sms_sign` text,
	`sms_template_code` text,
	`sms_text` text,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `message_templates_active_uq` ON `message_templates` (`key`,`channel`) WHERE status = 'active';--> statement-breakpoint
CREATE INDEX `message_templates_wx_idx` ON `message_templates` (`wx_template_id`);--> statement-breakpoint
CREATE TABLE `subscribe_grants` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`wx_template_id` text NOT NULL,
	`result` text NOT NULL,
	`status` text NOT NULL,
	`ref` text NOT NULL,
	`send_id` text,
	`created_at` integer NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscribe_grants_ref_uq` ON `subscribe_grants` (`ref`);--> statement-breakpoint
CREATE UNIQUE INDEX `subscribe_grants_send_uq` ON `subscribe_grants` (`send_id`);--> statement-breakpoint
CREATE INDEX `subscribe_grants_user_idx` ON `subscribe_grants` (`user_id`,`wx_template_id`,`status`,`created_at`);