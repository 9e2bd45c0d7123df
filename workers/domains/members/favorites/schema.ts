import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';

/**
 * 收藏: a shopper's favourite products. `refPrice` is the price a drop is measured from — the
 * product's lowest price when favourited, then the price of the last 降价提醒 — and
 * `lastPriceNoticeAt` throttles those notices (at most one per product per week).
 */
export const favorites = sqliteTable(
  'favorites',
  {
    userId: text('user_id').notNull(),
    productId: text('product_id').notNull(),
    /** fen */
    priceAtAdd: integer('price_at_add').notNull(),
    /** fen */
    refPrice: integer('ref_price').notNull(),
    lastPriceNoticeAt: integer('last_price_notice_at'),
    /** when the price-drop scan last looked at it (the scan walks the least recently checked first) */
    checkedAt: integer('checked_at').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.productId] }),
    index('favorites_user_created_idx').on(t.userId, t.createdAt),
    index('favorites_checked_idx').on(t.checkedAt),
  ],
);

/** Followed categories (关注分类) for the daily 上新 digest; `digestDay` = the Beijing day last handled. */
export const categoryFollows = sqliteTable(
  'category_follows',
  {
    userId: text('user_id').notNull(),
    categoryId: text('category_id').notNull(),
    createdAt: integer('created_at').notNull(),
    digestDay: text('digest_day').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.userId, t.categoryId] }), index('category_follows_digest_idx').on(t.digestDay, t.userId)],
);

/**
 * 到货提醒: a shopper waiting for a sold-out SKU. At most one waiting subscription per shopper and
 * SKU (partial unique index); it ends 'notified' once the restock message is decided.
 */
export const restockSubscriptions = sqliteTable(
  'restock_subscriptions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    skuId: text('sku_id').notNull(),
    productId: text('product_id').notNull(),
    status: text('status', { enum: ['waiting', 'notified', 'cancelled'] })
      .notNull()
      .default('waiting'),
    /** the message_sends id of its notice */
    sendId: text('send_id'),
    createdAt: integer('created_at').notNull(),
    notifiedAt: integer('notified_at'),
  },
  (t) => [
    uniqueIndex('restock_subscriptions_waiting_uq')
      .on(t.userId, t.skuId)
      .where(sql`status = 'waiting'`),
    index('restock_subscriptions_status_sku_idx').on(t.status, t.skuId),
    index('restock_subscriptions_user_idx').on(t.userId, t.createdAt),
  ],
);
