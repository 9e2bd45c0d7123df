import { sqliteTable, text, integer, index, uniqueIndex, check } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';

/** One WeChat Pay transaction per checkout; out_trade_no is the checkout id. */
export const payments = sqliteTable(
  'payments',
  {
    id: text('id').primaryKey(),
    checkoutId: text('checkout_id').notNull().unique(),
    userId: text('user_id').notNull(),
    outTradeNo: text('out_trade_no').notNull().unique(),
    amount: integer('amount').notNull(),
    status: text('status', { enum: ['created', 'prepaid', 'paid', 'closed'] })
      .notNull()
      .default('created'),
    prepayId: text('prepay_id'),
    prepayExpiresAt: integer('prepay_expires_at'),
    transactionId: text('transaction_id').unique(),
    payerOpenid: text('payer_openid'),
    paidAt: integer('paid_at'),
    refundedTotal: integer('refunded_total').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('payments_status_idx').on(t.status, t.createdAt),
    check('payments_refund_le_amount', sql`${t.refundedTotal} <= ${t.amount}`),
  ],
);

/** Every verified WeChat notification, keyed by its id: a duplicate delivery is recognised and ignored. */
export const paymentNotifications = sqliteTable('payment_notifications', {
  id: text('id').primaryKey(),
  eventType: text('event_type').notNull(),
  outTradeNo: text('out_trade_no'),
  receivedAt: integer('received_at').notNull(),
});

/** Refunds against a payment, one per after-sale decision; out_refund_no is our id. */
export const refunds = sqliteTable(
  'refunds',
  {
    id: text('id').primaryKey(),
    paymentId: text('payment_id').notNull(),
    orderId: text('order_id').notNull(),
    aftersaleId: text('aftersale_id'),
    amount: integer('amount').notNull(),
    reason: text('reason').notNull().default(''),
    status: text('status', { enum: ['pending', 'processing', 'succeeded', 'closed', 'abnormal'] })
      .notNull()
      .default('pending'),
    wxRefundId: text('wx_refund_id'),
    createdAt: integer('created_at').notNull(),
    succeededAt: integer('succeeded_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('refunds_payment_idx').on(t.paymentId),
    index('refunds_order_idx').on(t.orderId),
    uniqueIndex('refunds_aftersale_uq').on(t.aftersaleId),
  ],
);
