CREATE TABLE `flash_sales` (
	`id` text PRIMARY KEY NOT NULL,
	`sku_id` text NOT NULL,
	`product_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`sale_price` integer NOT NULL,
	`allocated` integer NOT NULL,
	`per_shopper_limit` integer NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`reservation_ttl_ms` integer NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "flash_sales_allocated_pos" CHECK("flash_sales"."allocated" > 0),
	CONSTRAINT "flash_sales_limit_pos" CHECK("flash_sales"."per_shopper_limit" > 0),
	CONSTRAINT "flash_sales_price_nonneg" CHECK("flash_sales"."sale_price" >= 0),
	CONSTRAINT "flash_sales_window" CHECK("flash_sales"."ends_at" > "flash_sales"."starts_at")
);
--> statement-breakpoint
CREATE INDEX `flash_sales_window_idx` ON `flash_sales` (`status`,`ends_at`);--> statement-breakpoint
CREATE INDEX `flash_sales_sku_idx` ON `flash_sales` (`sku_id`);