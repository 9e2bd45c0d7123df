import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, uniqueIndex, check } from 'drizzle-orm/sqlite-core';

export const MALL_ITEM_KINDS = ['goods', 'coupon', 'lottery_chance'] as const;
export type MallItemKind = (typeof MALL_ITEM_KINDS)[number];

/**
 * A points-mall item (积分商城商品): priced in points, goods optionally points + cash. `stock` is
 * what is left to exchange; every exchange takes from it in the same D1 batch as the points spend,
 * and the CHECK (stock ≥ 0) makes an oversell abort that batch, however many shoppers race.
 */
export const pointsMallItems = sqliteTable(
  'points_mall_items',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: MALL_ITEM_KINDS }).notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    imageUrl: text('image_url'),
    /** points per unit (≥ 1) */
    pointsPrice: integer('points_price').notNull(),
    /** fen per unit paid through WeChat Pay (goods only; 0 = points only) */
    cashPrice: integer('cash_price').notNull().default(0),
    /** goods: the catalog SKU shipped as an order */
    skuId: text('sku_id'),
    /** goods: free shipping (包邮); otherwise the merchant's freight template prices the parcel */
    freeShipping: integer('free_shipping', { mode: 'boolean' }).notNull().default(true),
    /** coupon: the template a coupon is issued from */
    couponTemplateId: text('coupon_template_id'),
    /** lottery_chance: the lottery and how many extra draws one unit grants */
    lotteryId: text('lottery_id'),
    chances: integer('chances'),
    stock: integer('stock').notNull(),
    sold: integer('sold').notNull().default(0),
    /** units one shopper may exchange per `limitPeriod`; null = no limit */
    limitPerUser: integer('limit_per_user'),
    limitPeriod: text('limit_period', { enum: ['ever', 'day'] })
      .notNull()
      .default('ever'),
    /** display / exchange window; null = open-ended */
    startsAt: integer('starts_at'),
    endsAt: integer('ends_at'),
    status: text('status', { enum: ['on', 'off'] })
      .notNull()
      .default('on'),
    /** smaller first */
    sortOrder: integer('sort_order').notNull().default(0),
    /** only shoppers at this tier or above (enforced by tier-gate.ts) */
    minTierId: text('min_tier_id'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('points_mall_items_shelf_idx').on(t.status, t.sortOrder),
    check('points_mall_items_stock', sql`${t.stock} >= 0 AND ${t.sold} >= 0`),
    check('points_mall_items_price', sql`${t.pointsPrice} >= 1 AND ${t.cashPrice} >= 0`),
  ],
);

export const EXCHANGE_STATUSES = ['completed', 'pending_payment', 'cancelled'] as const;
export type ExchangeStatus = (typeof EXCHANGE_STATUSES)[number];

/**
 * One exchange (兑换记录). (user, Idempotency-Key) is unique, so a retried request finds the first
 * exchange. `status`: completed (coupon / chances granted, goods ordered and paid or points only),
 * pending_payment (goods whose cash part is unpaid), cancelled (that order closed unpaid: points
 * and stock went back, exactly once). The per-shopper limit counts every exchange not cancelled.
 */
export const pointsMallExchanges = sqliteTable(
  'points_mall_exchanges',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    itemId: text('item_id').notNull(),
    kind: text('kind', { enum: MALL_ITEM_KINDS }).notNull(),
    title: text('title').notNull(),
    quantity: integer('quantity').notNull(),
    pointsTotal: integer('points_total').notNull(),
    /** fen of the goods' cash part (freight not included) */
    cashTotal: integer('cash_total').notNull().default(0),
    /** Asia/Shanghai day of the exchange, for per-day limits */
    day: text('day').notNull(),
    status: text('status', { enum: EXCHANGE_STATUSES }).notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    couponId: text('coupon_id'),
    orderId: text('order_id'),
    checkoutId: text('checkout_id'),
    createdAt: integer('created_at').notNull(),
    cancelledAt: integer('cancelled_at'),
  },
  (t) => [
    uniqueIndex('points_mall_exchanges_key_uq').on(t.userId, t.idempotencyKey),
    index('points_mall_exchanges_limit_idx').on(t.itemId, t.userId, t.day),
    index('points_mall_exchanges_user_idx').on(t.userId, t.createdAt, t.id),
    index('points_mall_exchanges_item_idx').on(t.itemId, t.createdAt, t.id),
    index('points_mall_exchanges_created_idx').on(t.createdAt, t.id),
    index('points_mall_exchanges_checkout_idx').on(t.checkoutId),
    check('points_mall_exchanges_amounts', sql`${t.quantity} >= 1 AND ${t.pointsTotal} >= 1 AND ${t.cashTotal} >= 0`),
  ],
);
