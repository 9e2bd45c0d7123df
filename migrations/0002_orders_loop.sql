CREATE TABLE `addresses` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name_enc` text NOT NULL,
	`phone_enc` text NOT NULL,
	`province` text NOT NULL,
	`city` text NOT NULL,
	`district` text NOT NULL,
	`detail_enc` text NOT NULL,
	`postal_code` text,
	`is_default` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE INDEX `addresses_user_idx` ON `addresses` (`user_id`,`deleted_at`);--> statement-breakpoint
CREATE TABLE `aftersale_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`aftersale_id` text NOT NULL,
	`order_line_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`amount` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `aftersale_lines_as_idx` ON `aftersale_lines` (`aftersale_id`);--> statement-breakpoint
CREATE TABLE `aftersales` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`user_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`type` text NOT NULL,
	`status` text DEFAULT 'requested' NOT NULL,
	`reason` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`photo_keys` text DEFAULT '[]' NOT NULL,
	`refund_amount` integer DEFAULT 0 NOT NULL,
	`reject_reason` text,
	`return_carrier` text,
	`return_tracking_no` text,
	`idempotency_key` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`reviewed_by` text,
	`reviewed_at` integer,
	`completed_at` integer
);
--> statement-breakpoint
CREATE INDEX `aftersales_order_idx` ON `aftersales` (`order_id`);--> statement-breakpoint
CREATE INDEX `aftersales_merchant_status_idx` ON `aftersales` (`merchant_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `aftersales_user_idx` ON `aftersales` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `cart_items` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`sku_id` text NOT NULL,
	`product_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`selected` integer DEFAULT true NOT NULL,
	`added_price` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "cart_items_qty_positive" CHECK("cart_items"."quantity" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cart_items_owner_sku_uq` ON `cart_items` (`owner_id`,`sku_id`);--> statement-breakpoint
CREATE INDEX `cart_items_owner_idx` ON `cart_items` (`owner_id`,`updated_at`);--> statement-breakpoint
CREATE TABLE `freight_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`name` text NOT NULL,
	`rules` text NOT NULL,
	`free_threshold` integer,
	`excluded_regions` text DEFAULT '[]' NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `freight_templates_merchant_idx` ON `freight_templates` (`merchant_id`,`is_default`);--> statement-breakpoint
CREATE TABLE `shipments` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`carrier_code` text NOT NULL,
	`carrier_name` text NOT NULL,
	`tracking_no` text NOT NULL,
	`status` text DEFAULT 'shipped' NOT NULL,
	`shipped_at` integer NOT NULL,
	`delivered_at` integer,
	`created_by` text
);
--> statement-breakpoint
CREATE INDEX `shipments_order_idx` ON `shipments` (`order_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `shipments_tracking_uq` ON `shipments` (`carrier_code`,`tracking_no`);--> statement-breakpoint
CREATE TABLE `tracking_events` (
	`id` text PRIMARY KEY NOT NULL,
	`shipment_id` text NOT NULL,
	`order_id` text NOT NULL,
	`event_at` integer NOT NULL,
	`status` text NOT NULL,
	`description` text NOT NULL,
	`location` text,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tracking_events_dedupe_uq` ON `tracking_events` (`shipment_id`,`event_at`,`status`);--> statement-breakpoint
CREATE INDEX `tracking_events_order_idx` ON `tracking_events` (`order_id`,`event_at`);--> statement-breakpoint
CREATE TABLE `merchant_ledger` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`order_id` text NOT NULL,
	`type` text NOT NULL,
	`amount` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `merchant_ledger_order_type_uq` ON `merchant_ledger` (`order_id`,`type`);--> statement-breakpoint
CREATE INDEX `merchant_ledger_merchant_idx` ON `merchant_ledger` (`merchant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `notification_log` (
	`id` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`template` text NOT NULL,
	`user_id` text,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 1 NOT NULL,
	`error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `notification_log_user_idx` ON `notification_log` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `checkouts` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`request_hash` text NOT NULL,
	`payable_total` integer NOT NULL,
	`status` text DEFAULT 'pending_payment' NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `checkouts_user_key_uq` ON `checkouts` (`user_id`,`idempotency_key`);--> statement-breakpoint
CREATE TABLE `order_events` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`type` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`note` text DEFAULT '' NOT NULL,
	`data` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `order_events_order_idx` ON `order_events` (`order_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `order_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`sku_id` text NOT NULL,
	`product_id` text NOT NULL,
	`title` text NOT NULL,
	`spec_key` text NOT NULL,
	`media_key` text,
	`unit_price` integer NOT NULL,
	`quantity` integer NOT NULL,
	`line_total` integer NOT NULL,
	`discount_share` integer DEFAULT 0 NOT NULL,
	`payable` integer NOT NULL,
	`refunded_quantity` integer DEFAULT 0 NOT NULL,
	`refunded_amount` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "order_lines_refund_bounds" CHECK("order_lines"."refunded_quantity" <= "order_lines"."quantity" AND "order_lines"."refunded_amount" <= "order_lines"."payable")
);
--> statement-breakpoint
CREATE INDEX `order_lines_order_idx` ON `order_lines` (`order_id`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`order_no` text NOT NULL,
	`checkout_id` text NOT NULL,
	`user_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`status` text NOT NULL,
	`goods_total` integer NOT NULL,
	`discount_total` integer DEFAULT 0 NOT NULL,
	`shipping_fee` integer DEFAULT 0 NOT NULL,
	`payable_total` integer NOT NULL,
	`paid_total` integer DEFAULT 0 NOT NULL,
	`refunded_total` integer DEFAULT 0 NOT NULL,
	`discounts` text DEFAULT '[]' NOT NULL,
	`address_enc` text NOT NULL,
	`address_region` text NOT NULL,
	`buyer_note` text DEFAULT '' NOT NULL,
	`seller_note` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`paid_at` integer,
	`shipped_at` integer,
	`delivered_at` integer,
	`completed_at` integer,
	`cancelled_at` integer,
	`closed_at` integer,
	`close_reason` text,
	`auto_confirm_at` integer,
	`settled_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	CONSTRAINT "orders_refund_le_paid" CHECK("orders"."refunded_total" <= "orders"."paid_total"),
	CONSTRAINT "orders_amounts_nonneg" CHECK("orders"."payable_total" >= 0 AND "orders"."paid_total" >= 0 AND "orders"."refunded_total" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_order_no_unique` ON `orders` (`order_no`);--> statement-breakpoint
CREATE INDEX `orders_user_status_idx` ON `orders` (`user_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_merchant_status_idx` ON `orders` (`merchant_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_checkout_idx` ON `orders` (`checkout_id`);--> statement-breakpoint
CREATE INDEX `orders_status_expires_idx` ON `orders` (`status`,`expires_at`);--> statement-breakpoint
CREATE INDEX `orders_status_confirm_idx` ON `orders` (`status`,`auto_confirm_at`);--> statement-breakpoint
CREATE TABLE `payment_notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`event_type` text NOT NULL,
	`out_trade_no` text,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`checkout_id` text NOT NULL,
	`user_id` text NOT NULL,
	`out_trade_no` text NOT NULL,
	`amount` integer NOT NULL,
	`status` text DEFAULT 'created' NOT NULL,
	`prepay_id` text,
	`prepay_expires_at` integer,
	`transaction_id` text,
	`payer_openid` text,
	`paid_at` integer,
	`refunded_total` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "payments_refund_le_amount" CHECK("payments"."refunded_total" <= "payments"."amount")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payments_checkout_id_unique` ON `payments` (`checkout_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `payments_out_trade_no_unique` ON `payments` (`out_trade_no`);--> statement-breakpoint
CREATE UNIQUE INDEX `payments_transaction_id_unique` ON `payments` (`transaction_id`);--> statement-breakpoint
CREATE INDEX `payments_status_idx` ON `payments` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`payment_id` text NOT NULL,
	`order_id` text NOT NULL,
	`aftersale_id` text,
	`amount` integer NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`wx_refund_id` text,
	`created_at` integer NOT NULL,
	`succeeded_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `refunds_payment_idx` ON `refunds` (`payment_id`);--> statement-breakpoint
CREATE INDEX `refunds_order_idx` ON `refunds` (`order_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `refunds_aftersale_uq` ON `refunds` (`aftersale_id`);--> statement-breakpoint
CREATE TABLE `wxpay_sandbox_refunds` (
	`out_refund_no` text PRIMARY KEY NOT NULL,
	`out_trade_no` text NOT NULL,
	`refund_id` text NOT NULL,
	`amount_refund` integer NOT NULL,
	`amount_total` integer NOT NULL,
	`status` text DEFAULT 'PROCESSING' NOT NULL,
	`notify_url` text,
	`created_at` integer NOT NULL,
	`success_time` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wxpay_sandbox_refunds_refund_id_unique` ON `wxpay_sandbox_refunds` (`refund_id`);--> statement-breakpoint
CREATE TABLE `wxpay_sandbox_transactions` (
	`out_trade_no` text PRIMARY KEY NOT NULL,
	`mchid` text NOT NULL,
	`appid` text NOT NULL,
	`description` text NOT NULL,
	`amount_total` integer NOT NULL,
	`payer_openid` text NOT NULL,
	`notify_url` text NOT NULL,
	`prepay_id` text NOT NULL,
	`trade_state` text DEFAULT 'NOTPAY' NOT NULL,
	`transaction_id` text,
	`success_time` integer,
	`refunded_total` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wxpay_sandbox_transactions_prepay_id_unique` ON `wxpay_sandbox_transactions` (`prepay_id`);