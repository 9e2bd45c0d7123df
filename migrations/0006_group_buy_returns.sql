ALTER TABLE `group_buy_deals` ADD `returned_units` integer;--> statement-breakpoint
ALTER TABLE `group_buy_deals` ADD `returned_at` integer;--> statement-breakpoint
CREATE INDEX `group_buy_deals_return_idx` ON `group_buy_deals` (`returned_at`,`ends_at`);