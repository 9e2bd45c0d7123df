import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, check } from 'drizzle-orm/sqlite-core';

/**
 * A flash sale (限时秒杀) of one SKU. The units in `allocated` were moved out of the SKU's normal
 * stock when the sale was created (ledger ref `fs:<id>`); who holds them is decided by the SKU's
 * SkuStock Durable Object, which is the source of truth for reserved/sold/remaining.
 */
export const flashSales = sqliteTable(
  'flash_sales',
  {
    id: text('id').primaryKey(),
    skuId: text('sku_id').notNull(),
    productId: text('product_id').notNull(),
    merchantId: text('merchant_id').notNull(),
    /** fen */
    salePrice: integer('sale_price').notNull(),
    allocated: integer('allocated').notNull(),
    perShopperLimit: integer('per_shopper_limit').notNull(),
    startsAt: integer('starts_at').notNull(),
    endsAt: integer('ends_at').notNull(),
    /** How long an unpaid reservation holds its units before the DO's alarm returns them. */
    reservationTtlMs: integer('reservation_ttl_ms').notNull(),
    status: text('status', { enum: ['active', 'cancelled'] })
      .notNull()
      .default('active'),
    /** Rounds (场次) created together share a series id; a single sale is its own series. */
    seriesId: text('series_id').notNull().default(''),
    /** e.g. "10:00场" (Asia/Shanghai), empty for a single sale. */
    roundLabel: text('round_label').notNull().default(''),
    /** Anti-bot: reserve needs a per-shopper token that is only issued once the sale is live. */
    requireToken: integer('require_token', { mode: 'boolean' }).notNull().default(false),
    /**
     * How many bucket Durable Objects share the sale's reservations (1 = the SKU's own object, as
     * before buckets existed). Fixed at creation: shoppers are routed by hash(sale, shopper) mod
     * buckets, so changing it would move a shopper's holdings out of sight of the limit check.
     * 1–16, checked by CreateFlashSaleInput (a CHECK here would make the migration rebuild the table).
     */
    buckets: integer('buckets').notNull().default(1),
    /** The D1 view reconciled from the DO (the DO is the source of truth). */
    soldUnits: integer('sold_units').notNull().default(0),
    reservedUnits: integer('reserved_units').notNull().default(0),
    reconciledAt: integer('reconciled_at'),
    /** Unsold units returned to normal stock after the end (ledger ref fs-ret:<id>), exactly once. */
    returnedUnits: integer('returned_units'),
    returnedAt: integer('returned_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('flash_sales_window_idx').on(t.status, t.endsAt),
    index('flash_sales_sku_idx').on(t.skuId),
    index('flash_sales_series_idx').on(t.seriesId),
    index('flash_sales_return_idx').on(t.returnedAt, t.endsAt),
    check('flash_sales_allocated_pos', sql`${t.allocated} > 0`),
    check('flash_sales_limit_pos', sql`${t.perShopperLimit} > 0`),
    check('flash_sales_price_nonneg', sql`${t.salePrice} >= 0`),
    check('flash_sales_window', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);
