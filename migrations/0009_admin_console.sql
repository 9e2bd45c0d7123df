CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`staff_id` text NOT NULL,
	`staff_email` text DEFAULT '' NOT NULL,
	`role` text NOT NULL,
	`merchant_id` text,
	`action` text NOT NULL,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`target_type` text,
	`target_id` text,
	`status` integer NOT NULL,
	`request` text,
	`before` text,
	`after` text,
	`request_id` text NOT NULL,
	`ip` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_time_idx` ON `audit_log` (`created_at`);--> statement-breakpoint
CREATE INDEX `audit_log_staff_idx` ON `audit_log` (`staff_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_log_target_idx` ON `audit_log` (`target_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_log_action_idx` ON `audit_log` (`action`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_log_merchant_idx` ON `audit_log` (`merchant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `merchant_applications` (
	`id` text PRIMARY KEY NOT NULL,
	`company_name` text NOT NULL,
	`credit_code` text NOT NULL,
	`shop_name` text NOT NULL,
	`category_id` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`contact_enc` text NOT NULL,
	`email` text NOT NULL,
	`password_hash` text NOT NULL,
	`licence_media_key` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`review_reason` text,
	`reviewed_by` text,
	`reviewed_at` integer,
	`merchant_id` text,
	`staff_id` text,
	`commission_bps` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `merchant_applications_status_idx` ON `merchant_applications` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `merchant_applications_email_idx` ON `merchant_applications` (`email`);