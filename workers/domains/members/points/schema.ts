import { sqliteTable, text, integer, index, check } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';

/**
 * Points rules (积分规则): one row (id 'default') the console edits. Until it exists the defaults
 * in rules.service.ts apply, so a fresh shop already has a sensible programme.
 */
export const pointsRules = sqliteTable(
  'points_rules',
  {
    id: text('id').primaryKey(),
    /** Spending points at checkout is allowed at all. */
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    /** Points worth ¥1 (100 → 100 积分 = ¥1). */
    pointsPerYuan: integer('points_per_yuan').notNull(),
    /** Cap of the points deduction as a share of the goods after discounts, in percent (50 = at most half). */
    maxSharePercent: integer('max_share_percent').notNull(),
    /** A shopper uses points only from this many on (and at least this many at once). */
    minPoints: integer('min_points').notNull(),
    /** Points earned in a month expire at the end of the Nth month after it (0 = never). */
    expiryMonths: integer('expiry_months').notNull(),
    updatedAt: integer('updated_at').notNull(),
    updatedBy: text('updated_by'),
  },
  (t) => [check('points_rules_ranges', sql`${t.pointsPerYuan} >= 1 AND ${t.maxSharePercent} BETWEEN 1 AND 100 AND ${t.minPoints} >= 0`)],
);

/**
 * What points and stored balance paid for, per order line (created with the order, in its
 * batch). A refund gives back the line's share pro rata to the units refunded, and the
 * `*_returned` counters (bounded by CHECKs) make sure nothing is given back twice or beyond.
 */
export const orderDeductions = sqliteTable(
  'order_deductions',
  {
    orderLineId: text('order_line_id').primaryKey(),
    orderId: text('order_id').notNull(),
    checkoutId: text('checkout_id').notNull(),
    userId: text('user_id').notNull(),
    quantity: integer('quantity').notNull(),
    /** Points spent on this line and the fen they were worth. */
    points: integer('points').notNull().default(0),
    pointsFen: integer('points_fen').notNull().default(0),
    /** Stored balance (fen) spent on this line. */
    balanceFen: integer('balance_fen').notNull().default(0),
    quantityReturned: integer('quantity_returned').notNull().default(0),
    pointsReturned: integer('points_returned').notNull().default(0),
    balanceReturned: integer('balance_returned').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('order_deductions_checkout_idx').on(t.checkoutId),
    index('order_deductions_order_idx').on(t.orderId),
    check(
      'order_deductions_bounds',
      sql`${t.quantityReturned} <= ${t.quantity} AND ${t.pointsReturned} <= ${t.points} AND ${t.balanceReturned} <= ${t.balanceFen} AND ${t.pointsReturned} >= 0 AND ${t.balanceReturned} >= 0`,
    ),
  ],
);

/**
 * One row per expiry date whose run finished: the every-minute cron looks here first, so the
 * nightly/monthly work happens once (the ledger's unique refs make a half-finished run safe to redo).
 */
export const pointsExpiryRuns = sqliteTable('points_expiry_runs', {
  /** The Beijing date the points expired at, "2026-12-01". */
  expiryDate: text('expiry_date').primaryKey(),
  cutoff: integer('cutoff').notNull(),
  shoppers: integer('shoppers').notNull(),
  points: integer('points').notNull(),
  finishedAt: integer('finished_at').notNull(),
});
