CREATE TABLE `screening_dictionary` (
	`id` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `screening_fingerprints` (
	`kind` text NOT NULL,
	`source_id` text NOT NULL,
	`hash` text NOT NULL,
	`b0` integer NOT NULL,
	`b1` integer NOT NULL,
	`b2` integer NOT NULL,
	`b3` integer NOT NULL,
	`b4` integer NOT NULL,
	`b5` integer NOT NULL,
	`b6` integer NOT NULL,
	`b7` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `screening_fp_source_uq` ON `screening_fingerprints` (`kind`,`source_id`);--> statement-breakpoint
CREATE INDEX `screening_fp_b0` ON `screening_fingerprints` (`b0`);--> statement-breakpoint
CREATE INDEX `screening_fp_b1` ON `screening_fingerprints` (`b1`);--> statement-breakpoint
CREATE INDEX `screening_fp_b2` ON `screening_fingerprints` (`b2`);--> statement-breakpoint
CREATE INDEX `screening_fp_b3` ON `screening_fingerprints` (`b3`);--> statement-breakpoint
CREATE INDEX `screening_fp_b4` ON `screening_fingerprints` (`b4`);--> statement-breakpoint
CREATE INDEX `screening_fp_b5` ON `screening_fingerprints` (`b5`);--> statement-breakpoint
CREATE INDEX `screening_fp_b6` ON `screening_fingerprints` (`b6`);--> statement-breakpoint
CREATE INDEX `screening_fp_b7` ON `screening_fingerprints` (`b7`);--> statement-breakpoint
CREATE TABLE `screening_words` (
	`id` text PRIMARY KEY NOT NULL,
	`term` text NOT NULL,
	`norm` text NOT NULL,
	`category` text NOT NULL,
	`severity` text NOT NULL,
	`hint` text,
	`enabled` integer NOT NULL,
	`version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `screening_words_norm_uq` ON `screening_words` (`norm`);--> statement-breakpoint
CREATE INDEX `screening_words_cat_idx` ON `screening_words` (`category`,`severity`);--> statement-breakpoint
CREATE TABLE `support_canned_replies` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`enabled` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `support_conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`open_key` text,
	`order_id` text,
	`status` text NOT NULL,
	`mode` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`closed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `support_conversations_open_uq` ON `support_conversations` (`open_key`);--> statement-breakpoint
CREATE INDEX `support_conversations_user_idx` ON `support_conversations` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `support_faqs` (
	`id` text PRIMARY KEY NOT NULL,
	`question` text NOT NULL,
	`answer` text NOT NULL,
	`keywords` text NOT NULL,
	`enabled` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `support_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`seq` integer NOT NULL,
	`sender` text NOT NULL,
	`staff_id` text,
	`body` text NOT NULL,
	`client_msg_id` text NOT NULL,
	`source` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `support_messages_seq_uq` ON `support_messages` (`conversation_id`,`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `support_messages_client_uq` ON `support_messages` (`conversation_id`,`client_msg_id`);--> statement-breakpoint
CREATE TABLE `support_tickets` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`user_id` text NOT NULL,
	`status` text NOT NULL,
	`reason` text NOT NULL,
	`priority` integer NOT NULL,
	`subject` text NOT NULL,
	`assignee_id` text,
	`first_response_due_at` integer NOT NULL,
	`first_response_at` integer,
	`first_response_breached_at` integer,
	`resolution_due_at` integer NOT NULL,
	`resolution_breached_at` integer,
	`rating` integer,
	`created_at` integer NOT NULL,
	`closed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `support_tickets_open_uq` ON `support_tickets` (`conversation_id`) WHERE status = 'open';--> statement-breakpoint
CREATE INDEX `support_tickets_queue_idx` ON `support_tickets` (`status`,`priority`,`created_at`);--> statement-breakpoint
CREATE INDEX `support_tickets_conversation_idx` ON `support_tickets` (`conversation_id`);