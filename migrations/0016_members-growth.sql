CREATE TABLE `lottery_chances` (
	`id` text PRIMARY KEY NOT NULL,
	`lottery_id` text NOT NULL,
	`user_id` text NOT NULL,
	`chances` integer NOT NULL,
	`source` text NOT NULL,
	`ref` text NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "lottery_chances_positive" CHECK("lottery_chances"."chances" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lottery_chances_ref_uq` ON `lottery_chances` (`ref`);--> statement-breakpoint
CREATE INDEX `lottery_chances_user_idx` ON `lottery_chances` (`lottery_id`,`user_id`);--> statement-breakpoint
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
CREATE TABLE `points_mall_exchanges` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`item_id` text NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`quantity` integer NOT NULL,
	`points_total` integer NOT NULL,
	`cash_total` integer DEFAULT 0 NOT NULL,
	`day` text NOT NULL,
	`status` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`coupon_id` text,
	`order_id` text,
	`checkout_id` text,
	`created_at` integer NOT NULL,
	`cancelled_at` integer,
	CONSTRAINT "points_mall_exchanges_amounts" CHECK("points_mall_exchanges"."quantity" >= 1 AND "points_mall_exchanges"."points_total" >= 1 AND "points_mall_exchanges"."cash_total" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `points_mall_exchanges_key_uq` ON `points_mall_exchanges` (`user_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `points_mall_exchanges_limit_idx` ON `points_mall_exchanges` (`item_id`,`user_id`,`day`);--> statement-breakpoint
CREATE INDEX `points_mall_exchanges_user_idx` ON `points_mall_exchanges` (`user_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `points_mall_exchanges_item_idx` ON `points_mall_exchanges` (`item_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `points_mall_exchanges_created_idx` ON `points_mall_exchanges` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `points_mall_exchanges_checkout_idx` ON `points_mall_exchanges` (`checkout_id`);--> statement-breakpoint
CREATE TABLE `points_mall_items` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`image_url` text,
	`points_price` integer NOT NULL,
	`cash_price` integer DEFAULT 0 NOT NULL,
	`sku_id` text,
	`free_shipping` integer DEFAULT true NOT NULL,
	`coupon_template_id` text,
	`lottery_id` text,
	`chances` integer,
	`stock` integer NOT NULL,
	`sold` integer DEFAULT 0 NOT NULL,
	`limit_per_user` integer,
	`limit_period` text DEFAULT 'ever' NOT NULL,
	`starts_at` integer,
	`ends_at` integer,
	`status` text DEFAULT 'on' NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`min_tier_id` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "points_mall_items_stock" CHECK("points_mall_items"."stock" >= 0 AND "points_mall_items"."sold" >= 0),
	CONSTRAINT "points_mall_items_price" CHECK("points_mall_items"."points_price" >= 1 AND "points_mall_items"."cash_price" >= 0)
);
--> statement-breakpoint
CREATE INDEX `points_mall_items_shelf_idx` ON `points_mall_items` (`status`,`sort_order`);--> statement-breakpoint
CREATE TABLE `order_deductions` (
	`order_line_id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`checkout_id` text NOT NULL,
	`user_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`points` integer DEFAULT 0 NOT NULL,
	`points_fen` integer DEFAULT 0 NOT NULL,
	`balance_fen` integer DEFAULT 0 NOT NULL,
	`quantity_returned` integer DEFAULT 0 NOT NULL,
	`points_returned` integer DEFAULT 0 NOT NULL,
	`balance_returned` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "order_deductions_bounds" CHECK("order_deductions"."quantity_returned" <= "order_deductions"."quantity" AND "order_deductions"."points_returned" <= "order_deductions"."points" AND "order_deductions"."balance_returned" <= "order_deductions"."balance_fen" AND "order_deductions"."points_returned" >= 0 AND "order_deductions"."balance_returned" >= 0)
);
--> statement-breakpoint
CREATE INDEX `order_deductions_checkout_idx` ON `order_deductions` (`checkout_id`);--> statement-breakpoint
CREATE INDEX `order_deductions_order_idx` ON `order_deductions` (`order_id`);--> statement-breakpoint
CREATE TABLE `points_expiry_runs` (
	`expiry_date` text PRIMARY KEY NOT NULL,
	`cutoff` integer NOT NULL,
	`shoppers` integer NOT NULL,
	`points` integer NOT NULL,
	`finished_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `points_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`enabled` integer NOT NULL,
	`points_per_yuan` integer NOT NULL,
	`max_share_percent` integer NOT NULL,
	`min_points` integer NOT NULL,
	`expiry_months` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	CONSTRAINT "points_rules_ranges" CHECK("points_rules"."points_per_yuan" >= 1 AND "points_rules"."max_share_percent" BETWEEN 1 AND 100 AND "points_rules"."min_points" >= 0)
);
--> statement-breakpoint
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
CREATE INDEX `referrals_order_idx` ON `referrals` (`order_id`);--> statement-breakpoint
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
CREATE INDEX `member_tasks_order_idx` ON `member_tasks` (`enabled`,`sort_order`);--> statement-breakpoint
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
CREATE INDEX `subscribe_grants_user_idx` ON `subscribe_grants` (`user_id`,`wx_template_id`,`status`,`created_at`);--> statement-breakpoint
ALTER TABLE `points_ledger` ADD `note` text;--> statement-breakpoint
ALTER TABLE `lottery_draws` ADD `bonus` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `birthday` text;--> statement-breakpoint
ALTER TABLE `users` ADD `birthday_md` text;--> statement-breakpoint
ALTER TABLE `users` ADD `birthday_set_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `gender` text;--> statement-breakpoint
CREATE INDEX `users_birthday_md_idx` ON `users` (`birthday_md`,`id`);--> statement-breakpoint
ALTER TABLE `wallet_ledger` ADD `note` text;