CREATE TABLE `points_ledger` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`delta` integer NOT NULL,
	`reason` text NOT NULL,
	`ref` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `points_ledger_ref_uq` ON `points_ledger` (`ref`);--> statement-breakpoint
CREATE INDEX `points_ledger_user_idx` ON `points_ledger` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `campaign_spends` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`checkout_id` text NOT NULL,
	`amount` integer NOT NULL,
	`created_at` integer NOT NULL,
	`released_at` integer,
	CONSTRAINT "campaign_spends_amount" CHECK("campaign_spends"."amount" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaign_spends_uq` ON `campaign_spends` (`checkout_id`,`campaign_id`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`segment` text NOT NULL,
	`budget` integer NOT NULL,
	`budget_used` integer DEFAULT 0 NOT NULL,
	`banners` text DEFAULT '[]' NOT NULL,
	`popup` text,
	`flash_sale_ids` text DEFAULT '[]' NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "campaigns_window" CHECK("campaigns"."ends_at" > "campaigns"."starts_at"),
	CONSTRAINT "campaigns_budget_nonneg" CHECK("campaigns"."budget" >= 0 AND "campaigns"."budget_used" >= 0)
);
--> statement-breakpoint
CREATE INDEX `campaigns_window_idx` ON `campaigns` (`status`,`ends_at`);--> statement-breakpoint
CREATE TABLE `coupon_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`threshold` integer DEFAULT 0 NOT NULL,
	`amount_off` integer,
	`rate` integer,
	`max_off` integer,
	`scope` text NOT NULL,
	`valid_from` integer,
	`valid_to` integer,
	`valid_days` integer,
	`claim_starts_at` integer NOT NULL,
	`claim_ends_at` integer NOT NULL,
	`total_quantity` integer NOT NULL,
	`issued_count` integer DEFAULT 0 NOT NULL,
	`used_count` integer DEFAULT 0 NOT NULL,
	`per_user_limit` integer DEFAULT 1 NOT NULL,
	`channels` text NOT NULL,
	`code` text,
	`pack_order` integer,
	`campaign_id` text,
	`status` text DEFAULT 'active' NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "coupon_templates_not_over_issued" CHECK("coupon_templates"."issued_count" <= "coupon_templates"."total_quantity"),
	CONSTRAINT "coupon_templates_counts" CHECK("coupon_templates"."issued_count" >= 0 AND "coupon_templates"."used_count" >= 0 AND "coupon_templates"."total_quantity" >= 0 AND "coupon_templates"."per_user_limit" >= 1),
	CONSTRAINT "coupon_templates_rate" CHECK("coupon_templates"."rate" IS NULL OR ("coupon_templates"."rate" >= 1 AND "coupon_templates"."rate" <= 99))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `coupon_templates_code_unique` ON `coupon_templates` (`code`);--> statement-breakpoint
CREATE INDEX `coupon_templates_status_idx` ON `coupon_templates` (`status`,`claim_ends_at`);--> statement-breakpoint
CREATE INDEX `coupon_templates_campaign_idx` ON `coupon_templates` (`campaign_id`);--> statement-breakpoint
CREATE TABLE `lotteries` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`free_draws_per_day` integer DEFAULT 1 NOT NULL,
	`max_draws_per_user` integer,
	`points_per_draw` integer DEFAULT 0 NOT NULL,
	`budget` integer NOT NULL,
	`budget_used` integer DEFAULT 0 NOT NULL,
	`campaign_id` text,
	`status` text DEFAULT 'active' NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "lotteries_budget" CHECK("lotteries"."budget_used" <= "lotteries"."budget" AND "lotteries"."budget_used" >= 0),
	CONSTRAINT "lotteries_window" CHECK("lotteries"."ends_at" > "lotteries"."starts_at")
);
--> statement-breakpoint
CREATE TABLE `lottery_draws` (
	`id` text PRIMARY KEY NOT NULL,
	`lottery_id` text NOT NULL,
	`user_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`day` text NOT NULL,
	`prize_id` text,
	`prize_kind` text NOT NULL,
	`prize_name` text NOT NULL,
	`coupon_id` text,
	`points` integer,
	`fulfilment` text DEFAULT 'none' NOT NULL,
	`points_spent` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lottery_draws_key_uq` ON `lottery_draws` (`user_id`,`lottery_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `lottery_draws_user_day_idx` ON `lottery_draws` (`lottery_id`,`user_id`,`day`);--> statement-breakpoint
CREATE TABLE `lottery_prizes` (
	`id` text PRIMARY KEY NOT NULL,
	`lottery_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`coupon_template_id` text,
	`points` integer,
	`sku_id` text,
	`image_url` text,
	`value` integer DEFAULT 0 NOT NULL,
	`weight` integer NOT NULL,
	`stock` integer NOT NULL,
	`awarded` integer DEFAULT 0 NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "lottery_prizes_stock" CHECK("lottery_prizes"."awarded" <= "lottery_prizes"."stock" AND "lottery_prizes"."awarded" >= 0),
	CONSTRAINT "lottery_prizes_weight" CHECK("lottery_prizes"."weight" >= 0)
);
--> statement-breakpoint
CREATE INDEX `lottery_prizes_lottery_idx` ON `lottery_prizes` (`lottery_id`);--> statement-breakpoint
CREATE TABLE `promotion_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`label` text NOT NULL,
	`scope` text NOT NULL,
	`basis` text DEFAULT 'amount' NOT NULL,
	`tiers` text DEFAULT '[]' NOT NULL,
	`repeat` integer DEFAULT false NOT NULL,
	`cap` integer,
	`rate` integer,
	`prices` text,
	`priority` integer DEFAULT 0 NOT NULL,
	`campaign_id` text,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "promotion_rules_window" CHECK("promotion_rules"."ends_at" > "promotion_rules"."starts_at"),
	CONSTRAINT "promotion_rules_rate" CHECK("promotion_rules"."rate" IS NULL OR ("promotion_rules"."rate" >= 1 AND "promotion_rules"."rate" <= 99))
);
--> statement-breakpoint
CREATE INDEX `promotion_rules_window_idx` ON `promotion_rules` (`status`,`ends_at`);--> statement-breakpoint
CREATE INDEX `promotion_rules_campaign_idx` ON `promotion_rules` (`campaign_id`);--> statement-breakpoint
CREATE TABLE `promotion_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `user_coupons` (
	`id` text PRIMARY KEY NOT NULL,
	`template_id` text NOT NULL,
	`user_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`channel` text NOT NULL,
	`grant_key` text NOT NULL,
	`status` text DEFAULT 'available' NOT NULL,
	`valid_from` integer NOT NULL,
	`valid_to` integer NOT NULL,
	`checkout_id` text,
	`order_id` text,
	`used_at` integer,
	`created_at` integer NOT NULL,
	CONSTRAINT "user_coupons_window" CHECK("user_coupons"."valid_to" > "user_coupons"."valid_from")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_coupons_grant_uq` ON `user_coupons` (`user_id`,`grant_key`);--> statement-breakpoint
CREATE INDEX `user_coupons_user_idx` ON `user_coupons` (`user_id`,`status`,`valid_to`);--> statement-breakpoint
CREATE INDEX `user_coupons_template_user_idx` ON `user_coupons` (`template_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `user_coupons_checkout_idx` ON `user_coupons` (`checkout_id`);