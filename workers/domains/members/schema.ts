import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Points ledger (积分). The balance is the sum of a shopper's entries; `ref` is unique so a
 * retried grant or spend ("draw:<id>", "prize:<drawId>") is written once.
 */
export const pointsLedger = sqliteTable(
  'points_ledger',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    delta: integer('delta').notNull(),
    reason: text('reason').notNull(),
    ref: text('ref').notNull(),
    /** Human words beside the machine reason: the staff's reason for an adjustment, an order number, … */
    note: text('note'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('points_ledger_ref_uq').on(t.ref), index('points_ledger_user_idx').on(t.userId, t.createdAt)],
);
