CREATE TABLE `wallet_ledger` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`delta` integer NOT NULL,
	`reason` text NOT NULL,
	`ref` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wallet_ledger_ref_uq` ON `wallet_ledger` (`ref`);--> statement-breakpoint
CREATE INDEX `wallet_ledger_user_idx` ON `wallet_ledger` (`user_id`,`created_at`);