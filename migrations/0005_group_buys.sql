CREATE TABLE `group_buy_deals` (
	`id` text PRIMARY KEY NOT NULL,
	`sku_id` text NOT NULL,
	`product_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`group_price` integer NOT NULL,
	`leader_price` integer,
	`group_size` integer NOT NULL,
	`team_time_limit_ms` integer NOT NULL,
	`seat_ttl_ms` integer NOT NULL,
	`allocated` integer NOT NULL,
	`per_shopper_limit` integer NOT NULL,
	`auto_fill` integer DEFAULT false NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "group_buy_deals_size" CHECK("group_buy_deals"."group_size" BETWEEN 2 AND 10),
	CONSTRAINT "group_buy_deals_allocated_pos" CHECK("group_buy_deals"."allocated" > 0),
	CONSTRAINT "group_buy_deals_prices" CHECK("group_buy_deals"."group_price" >= 0 AND ("group_buy_deals"."leader_price" IS NULL OR "group_buy_deals"."leader_price" BETWEEN 0 AND "group_buy_deals"."group_price"))
);
--> statement-breakpoint
CREATE INDEX `group_buy_deals_window_idx` ON `group_buy_deals` (`status`,`ends_at`);--> statement-breakpoint
CREATE TABLE `group_buy_teams` (
	`id` text PRIMARY KEY NOT NULL,
	`deal_id` text NOT NULL,
	`sku_id` text NOT NULL,
	`leader_id` text NOT NULL,
	`size` integer NOT NULL,
	`status` text NOT NULL,
	`expires_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `group_buy_teams_deal_idx` ON `group_buy_teams` (`deal_id`,`status`,`expires_at`);