import { sqliteTable, text, integer, index, uniqueIndex, check } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';

export const ORDER_STATUSES = ['pending_payment', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'closed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * One checkout (one createOrder call, one payment) that may split into one order per merchant.
 * (userId, idempotencyKey) is unique: a retried createOrder finds the first result here.
 */
export const checkouts = sqliteTable(
  'checkouts',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** SHA-256 of the request body: the same key with a different body is refused. */
    requestHash: text('request_hash').notNull(),
    payableTotal: integer('payable_total').notNull(),
    status: text('status', { enum: ['pending_payment', 'paid', 'closed'] })
      .notNull()
      .default('pending_payment'),
    expiresAt: integer('expires_at').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('checkouts_user_key_uq').on(t.userId, t.idempotencyKey),
    // The cron's sweep for expired unpaid checkouts.
    index('checkouts_status_expires_idx').on(t.status, t.expiresAt),
  ],
);

export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    /** Human-facing number for service staff and receipts (date + random digits). */
    orderNo: text('order_no').notNull().unique(),
    checkoutId: text('checkout_id').notNull(),
    userId: text('user_id').notNull(),
    merchantId: text('merchant_id').notNull(),
    status: text('status', { enum: ORDER_STATUSES }).notNull(),
    goodsTotal: integer('goods_total').notNull(),
    discountTotal: integer('discount_total').notNull().default(0),
    shippingFee: integer('shipping_fee').notNull().default(0),
    payableTotal: integer('payable_total').notNull(),
    paidTotal: integer('paid_total').notNull().default(0),
    refundedTotal: integer('refunded_total').notNull().default(0),
    /** Discount lines of the quote (source, label, amount) kept for display and audits. */
    discounts: text('discounts', { mode: 'json' })
      .$type<{ source: string; sourceId: string | null; label: string; amount: number }[]>()
      .notNull()
      .default(sql`'[]'`),
    /** Encrypted JSON snapshot of the shipping address at order time. */
    addressEnc: text('address_enc').notNull(),
    addressRegion: text('address_region').notNull(),
    buyerNote: text('buyer_note').notNull().default(''),
    sellerNote: text('seller_note').notNull().default(''),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    paidAt: integer('paid_at'),
    shippedAt: integer('shipped_at'),
    deliveredAt: integer('delivered_at'),
    completedAt: integer('completed_at'),
    cancelledAt: integer('cancelled_at'),
    closedAt: integer('closed_at'),
    closeReason: text('close_reason'),
    autoConfirmAt: integer('auto_confirm_at'),
    settledAt: integer('settled_at'),
    version: integer('version').notNull().default(1),
    /** Set when the order's units are held by the SKU's Durable Object (flash sale / group buy), not normal stock. */
    promoType: text('promo_type', { enum: ['flash_sale', 'group_buy'] }),
    /** The flash sale or group-buy deal id. */
    promoId: text('promo_id'),
    /** The DO reservation (flash sale) or seat (group buy) holding the units: confirmed on payment, released on close. */
    holdId: text('hold_id'),
    /** Group buy: the team this order's seat belongs to. */
    teamId: text('team_id'),
    /** Non-null while the order must not ship yet ('group_forming': its team is not full). */
    fulfilmentHold: text('fulfilment_hold'),
  },
  (t) => [
    // A status tab (the shopper's, a merchant's) is one exact ordered walk: status and the id in the key.
    index('orders_user_status_created_idx').on(t.userId, t.status, t.createdAt, t.id),
    index('orders_merchant_status_created_idx').on(t.merchantId, t.status, t.createdAt, t.id),
    index('orders_checkout_idx').on(t.checkoutId),
    index('orders_status_expires_idx').on(t.status, t.expiresAt),
    index('orders_status_confirm_idx').on(t.status, t.autoConfirmAt),
    index('orders_promo_idx').on(t.promoId, t.status),
    uniqueIndex('orders_hold_uq').on(t.holdId),
    index('orders_team_idx').on(t.teamId),
    // Newest-first lists (the shopper's history, the console with or without a status, merchant or
    // date filter) walk one of these and stop after a page; the id makes the order total.
    index('orders_created_idx').on(t.createdAt, t.id),
    index('orders_status_created_idx').on(t.status, t.createdAt, t.id),
    index('orders_merchant_created_idx').on(t.merchantId, t.createdAt, t.id),
    index('orders_user_created_idx').on(t.userId, t.createdAt, t.id),
    // The settlement cron's "completed, unsettled" orders: only those are in it, so it stays small.
    index('orders_settlement_due_idx')
      .on(t.completedAt)
      .where(sql`status = 'completed' AND settled_at IS NULL`),
    check('orders_refund_le_paid', sql`${t.refundedTotal} <= ${t.paidTotal}`),
    check('orders_amounts_nonneg', sql`${t.payableTotal} >= 0 AND ${t.paidTotal} >= 0 AND ${t.refundedTotal} >= 0`),
  ],
);

/** Order lines with the price paid: `payable` = lineTotal − apportioned discount (for partial refunds). */
export const orderLines = sqliteTable(
  'order_lines',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    skuId: text('sku_id').notNull(),
    productId: text('product_id').notNull(),
    title: text('title').notNull(),
    specKey: text('spec_key').notNull(),
    mediaKey: text('media_key'),
    unitPrice: integer('unit_price').notNull(),
    quantity: integer('quantity').notNull(),
    lineTotal: integer('line_total').notNull(),
    discountShare: integer('discount_share').notNull().default(0),
    payable: integer('payable').notNull(),
    refundedQuantity: integer('refunded_quantity').notNull().default(0),
    refundedAmount: integer('refunded_amount').notNull().default(0),
  },
  (t) => [
    index('order_lines_order_idx').on(t.orderId),
    check('order_lines_refund_bounds', sql`${t.refundedQuantity} <= ${t.quantity} AND ${t.refundedAmount} <= ${t.payable}`),
  ],
);

/** The order timeline: every transition and notable event, with who did it and when. */
export const orderEvents = sqliteTable(
  'order_events',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    type: text('type').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    actorType: text('actor_type', { enum: ['user', 'staff', 'system', 'wechat', 'carrier'] }).notNull(),
    actorId: text('actor_id'),
    note: text('note').notNull().default(''),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('order_events_order_idx').on(t.orderId, t.createdAt)],
);
