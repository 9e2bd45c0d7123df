CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`refresh_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	`created_at` integer NOT NULL,
	`last_refreshed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_refresh_hash_unique` ON `sessions` (`refresh_hash`);--> statement-breakpoint
CREATE INDEX `sessions_subject_idx` ON `sessions` (`subject_type`,`subject_id`);--> statement-breakpoint
CREATE TABLE `categories` (
	`id` text PRIMARY KEY NOT NULL,
	`parent_id` text,
	`name` text NOT NULL,
	`level` integer NOT NULL,
	`path` text NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`icon_media_key` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `categories_parent_idx` ON `categories` (`parent_id`,`sort_order`);--> statement-breakpoint
CREATE INDEX `categories_path_idx` ON `categories` (`path`);--> statement-breakpoint
CREATE TABLE `inventory_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`sku_id` text NOT NULL,
	`product_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`stock` integer NOT NULL,
	`threshold` integer NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` integer NOT NULL,
	`resolved_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inventory_alerts_open_uq` ON `inventory_alerts` (`sku_id`) WHERE status = 'open';--> statement-breakpoint
CREATE INDEX `inventory_alerts_merchant_idx` ON `inventory_alerts` (`merchant_id`,`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `price_schedules` (
	`id` text PRIMARY KEY NOT NULL,
	`sku_id` text NOT NULL,
	`product_id` text NOT NULL,
	`price` integer NOT NULL,
	`original_price` integer,
	`effective_at` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`applied_at` integer
);
--> statement-breakpoint
CREATE INDEX `price_schedules_due_idx` ON `price_schedules` (`status`,`effective_at`);--> statement-breakpoint
CREATE INDEX `price_schedules_sku_idx` ON `price_schedules` (`sku_id`);--> statement-breakpoint
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`category_id` text NOT NULL,
	`title` text NOT NULL,
	`subtitle` text DEFAULT '' NOT NULL,
	`material` text DEFAULT '' NOT NULL,
	`origin` text DEFAULT '' NOT NULL,
	`attributes` text DEFAULT '{}' NOT NULL,
	`spec_dims` text DEFAULT '[]' NOT NULL,
	`detail_html` text DEFAULT '' NOT NULL,
	`main_media_key` text,
	`media_keys` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`min_price` integer DEFAULT 0 NOT NULL,
	`max_price` integer DEFAULT 0 NOT NULL,
	`total_stock` integer DEFAULT 0 NOT NULL,
	`sales_count` integer DEFAULT 0 NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`published_at` integer,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE INDEX `products_category_idx` ON `products` (`category_id`,`status`);--> statement-breakpoint
CREATE INDEX `products_merchant_idx` ON `products` (`merchant_id`,`status`);--> statement-breakpoint
CREATE INDEX `products_status_created_idx` ON `products` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `products_status_price_idx` ON `products` (`status`,`min_price`);--> statement-breakpoint
CREATE INDEX `products_status_sales_idx` ON `products` (`status`,`sales_count`);--> statement-breakpoint
CREATE TABLE `skus` (
	`id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`spec_values` text NOT NULL,
	`spec_key` text NOT NULL,
	`price` integer NOT NULL,
	`original_price` integer NOT NULL,
	`cost` integer DEFAULT 0 NOT NULL,
	`member_price` integer,
	`stock` integer DEFAULT 0 NOT NULL,
	`low_stock_threshold` integer DEFAULT 10 NOT NULL,
	`barcode` text,
	`weight_g` integer DEFAULT 0 NOT NULL,
	`media_key` text,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "skus_stock_nonneg" CHECK("skus"."stock" >= 0),
	CONSTRAINT "skus_price_nonneg" CHECK("skus"."price" >= 0 AND "skus"."original_price" >= 0 AND "skus"."cost" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `skus_product_spec_uq` ON `skus` (`product_id`,`spec_key`);--> statement-breakpoint
CREATE INDEX `skus_barcode_idx` ON `skus` (`barcode`);--> statement-breakpoint
CREATE TABLE `stock_ledger` (
	`id` text PRIMARY KEY NOT NULL,
	`sku_id` text NOT NULL,
	`product_id` text NOT NULL,
	`delta` integer NOT NULL,
	`stock_after` integer NOT NULL,
	`reason` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`ref` text,
	`actor_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `stock_ledger_sku_idx` ON `stock_ledger` (`sku_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `stock_ledger_ref_uq` ON `stock_ledger` (`sku_id`,`ref`);--> statement-breakpoint
CREATE TABLE `media_objects` (
	`key` text PRIMARY KEY NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`width` integer,
	`height` integer,
	`sha256` text NOT NULL,
	`owner_merchant_id` text,
	`uploaded_by` text,
	`purpose` text DEFAULT 'product' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `media_sha_idx` ON `media_objects` (`sha256`);--> statement-breakpoint
CREATE TABLE `merchants` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`commission_bps` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `staff` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`merchant_id` text,
	`status` text DEFAULT 'active' NOT NULL,
	`failed_logins` integer DEFAULT 0 NOT NULL,
	`locked_until` integer,
	`created_at` integer NOT NULL,
	`last_login_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_email_unique` ON `staff` (`email`);--> statement-breakpoint
CREATE TABLE `sms_codes` (
	`phone_hash` text PRIMARY KEY NOT NULL,
	`code_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`sent_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`openid` text,
	`unionid` text,
	`phone_enc` text,
	`phone_hash` text,
	`nickname` text NOT NULL,
	`avatar_media_key` text,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer NOT NULL,
	`last_login_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_openid_unique` ON `users` (`openid`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_phone_hash_unique` ON `users` (`phone_hash`);