import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Sellers on the platform; `mch_platform` (seeded by migration) is the platform's own shop. */
export const merchants = sqliteTable('merchants', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  status: text('status', { enum: ['active', 'suspended'] }).notNull().default('active'),
  /** Commission in basis points (500 = 5%). */
  commissionBps: integer('commission_bps').notNull().default(0),
  createdAt: integer('created_at').notNull(),
});

/**
 * The merchant's settlement ledger: credits for completed orders, platform commission, refund
 * debits. (orderId, type) is unique so a redelivered settlement message credits once.
 */
export const merchantLedger = sqliteTable(
  'merchant_ledger',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id').notNull(),
    orderId: text('order_id').notNull(),
    type: text('type', { enum: ['sale', 'commission', 'refund'] }).notNull(),
    /** Signed fen: sales positive, commission and refunds negative. */
    amount: integer('amount').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('merchant_ledger_order_type_uq').on(t.orderId, t.type), index('merchant_ledger_merchant_idx').on(t.merchantId, t.createdAt)],
);
