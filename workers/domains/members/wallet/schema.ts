import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Stored balance (余额), in fen: cash rebates (老带新) and refunds of what it paid, spent at
 * checkout. Append-only like the points ledger: the balance is the sum of a shopper's entries,
 * `ref` is unique so a retried credit or spend is written once, and every spend is guarded in
 * SQL so the sum never goes below zero.
 */
export const walletLedger = sqliteTable(
  'wallet_ledger',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    /** fen added (> 0) or spent (< 0) */
    delta: integer('delta').notNull(),
    /** machine word: 'referral_rebate', 'checkout', 'checkout_refund', 'adjust', … */
    reason: text('reason').notNull(),
    ref: text('ref').notNull(),
    /** Human words beside the machine reason: the staff's reason for an adjustment, an order number, … */
    note: text('note'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('wallet_ledger_ref_uq').on(t.ref), index('wallet_ledger_user_idx').on(t.userId, t.createdAt)],
);
