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