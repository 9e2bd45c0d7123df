import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';

export const AFTERSALE_TYPES = ['refund_only', 'return_refund', 'exchange'] as const;
export const AFTERSALE_STATUSES = [
  'requested',
  'approved',
  'rejected',
  'returning',
  'received',
  'refunding',
  'refunded',
  'exchanged',
  'cancelled',
] as const;

/** An after-sales request on (part of) one order. */
export const aftersales = sqliteTable(
  'aftersales',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    userId: text('user_id').notNull(),
    merchantId: text('merchant_id').notNull(),
    type: text('type', { enum: AFTERSALE_TYPES }).notNull(),
    status: text('status', { enum: AFTERSALE_STATUSES }).notNull().default('requested'),
    reason: text('reason').notNull(),
    description: text('description').notNull().default(''),
    photoKeys: text('photo_keys', { mode: 'json' })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    /** Requested refund (fen), never more than what the lines' paid amounts allow. */
    refundAmount: integer('refund_amount').notNull().default(0),
    rejectReason: text('reject_reason'),
    returnCarrier: text('return_carrier'),
    returnTrackingNo: text('return_tracking_no'),
    idempotencyKey: text('idempotency_key'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    reviewedBy: text('reviewed_by'),
    reviewedAt: integer('reviewed_at'),
    completedAt: integer('completed_at'),
  },
  (t) => [
    index('aftersales_order_idx').on(t.orderId),
    index('aftersales_merchant_status_idx').on(t.merchantId, t.status, t.createdAt),
    index('aftersales_user_idx').on(t.userId, t.createdAt),
  ],
);

export const aftersaleLines = sqliteTable(
  'aftersale_lines',
  {
    id: text('id').primaryKey(),
    aftersaleId: text('aftersale_id').notNull(),
    orderLineId: text('order_line_id').notNull(),
    quantity: integer('quantity').notNull(),
    amount: integer('amount').notNull(),
  },
  (t) => [index('aftersale_lines_as_idx').on(t.aftersaleId)],
);
