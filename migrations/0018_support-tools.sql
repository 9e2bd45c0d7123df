ALTER TABLE `support_messages` ADD `screen_verdict` text;--> statement-breakpoint
ALTER TABLE `support_messages` ADD `screen_matches` text;--> statement-breakpoint
ALTER TABLE `support_tickets` ADD `escalation_level` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `support_tickets` ADD `escalated_at` integer;--> statement-breakpoint
ALTER TABLE `support_tickets` ADD `compensation_template_id` text;--> statement-breakpoint
ALTER TABLE `support_tickets` ADD `compensation_coupon_id` text;