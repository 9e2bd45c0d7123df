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
ALTER TABLE `points_ledger` ADD `note` text;--> statement-breakpoint
ALTER TABLE `wallet_ledger` ADD `note` text;