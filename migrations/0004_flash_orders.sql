ALTER TABLE `flash_sales` ADD `series_id` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `flash_sales` ADD `round_label` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `flash_sales` ADD `require_token` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `flash_sales` ADD `sold_units` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `flash_sales` ADD `reserved_units` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `flash_sales` ADD `reconciled_at` integer;--> statement-breakpoint
ALTER TABLE `flash_sales` ADD `returned_units` integer;--> statement-breakpoint
ALTER TABLE `flash_sales` ADD `returned_at` integer;--> statement-breakpoint
CREATE INDEX `flash_sales_series_idx` ON `flash_sales` (`series_id`);--> statement-breakpoint
CREATE INDEX `flash_sales_return_idx` ON `flash_sales` (`returned_at`,`ends_at`);--> statement-breakpoint
ALTER TABLE `orders` ADD `promo_type` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `promo_id` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `hold_id` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `team_id` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `fulfilment_hold` text;--> statement-breakpoint
CREATE INDEX `orders_promo_idx` ON `orders` (`promo_id`,`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `orders_hold_uq` ON `orders` (`hold_id`);--> statement-breakpoint
CREATE INDEX `orders_team_idx` ON `orders` (`team_id`);--> statement-breakpoint
-- existing sales are each their own series
UPDATE `flash_sales` SET `series_id` = `id` WHERE `series_id` = '';
