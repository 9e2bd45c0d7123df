ALTER TABLE `lottery_draws` ADD `shipped_at` integer;--> statement-breakpoint
ALTER TABLE `lottery_draws` ADD `shipped_by` text;--> statement-breakpoint
ALTER TABLE `lottery_draws` ADD `ship_note` text;