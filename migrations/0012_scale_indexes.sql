CREATE TABLE `category_products` (
	`category_id` text NOT NULL,
	`product_id` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`sales_count` integer NOT NULL,
	`min_price` integer NOT NULL,
	PRIMARY KEY(`product_id`, `category_id`)
);
--> statement-breakpoint
CREATE INDEX `category_products_status_created_idx` ON `category_products` (`category_id`,`status`,`created_at`,`product_id`);--> statement-breakpoint
CREATE INDEX `category_products_status_sales_idx` ON `category_products` (`category_id`,`status`,`sales_count`,`product_id`);--> statement-breakpoint
CREATE INDEX `category_products_status_price_idx` ON `category_products` (`category_id`,`status`,`min_price`,`product_id`);--> statement-breakpoint
CREATE INDEX `category_products_created_idx` ON `category_products` (`category_id`,`created_at`,`product_id`);--> statement-breakpoint
DROP INDEX `products_merchant_idx`;--> statement-breakpoint
ALTER TABLE `products` ADD `seq` integer;--> statement-breakpoint
CREATE INDEX `products_created_idx` ON `products` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `products_merchant_created_idx` ON `products` (`merchant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `products_merchant_status_created_idx` ON `products` (`merchant_id`,`status`,`created_at`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `products_seq_uq` ON `products` (`seq`);--> statement-breakpoint
DROP INDEX `orders_user_status_idx`;--> statement-breakpoint
DROP INDEX `orders_merchant_status_idx`;--> statement-breakpoint
CREATE INDEX `orders_user_status_created_idx` ON `orders` (`user_id`,`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `orders_merchant_status_created_idx` ON `orders` (`merchant_id`,`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `orders_created_idx` ON `orders` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `orders_status_created_idx` ON `orders` (`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `orders_merchant_created_idx` ON `orders` (`merchant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `orders_user_created_idx` ON `orders` (`user_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `orders_settlement_due_idx` ON `orders` (`completed_at`) WHERE status = 'completed' AND settled_at IS NULL;--> statement-breakpoint
CREATE INDEX `categories_enabled_path_idx` ON `categories` (`enabled`,`path`);--> statement-breakpoint
CREATE INDEX `checkouts_status_expires_idx` ON `checkouts` (`status`,`expires_at`);