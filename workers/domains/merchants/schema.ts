import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';

/** Sellers on the platform; `mch_platform` (seeded by migration) is the platform's own shop. */
export const merchants = sqliteTable('merchants', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  status: text('status', { enum: ['active', 'suspended'] }).notNull().default('active'),
  /** Commission in basis points (500 = 5%). */
  commissionBps: integer('commission_bps').notNull().default(0),
  createdAt: integer('created_at').notNull(),
});
