import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, check } from 'drizzle-orm/sqlite-core';

/**
 * A group-buy deal (拼团) on one SKU. `allocated` units left normal stock when it was created
 * (ledger ref gb:<id>); the SKU's SkuStock Durable Object decides seats and units.
 */
export const groupBuyDeals = sqliteTable(
  'group_buy_deals',
  {
    id: text('id').primaryKey(),
    skuId: text('sku_id').notNull(),
    productId: text('product_id').notNull(),
    merchantId: text('merchant_id').notNull(),
    /** fen per unit for members */
    groupPrice: integer('group_price').notNull(),
    /** fen per unit for the team leader (团长价), when the leader gets an extra discount */
    leaderPrice: integer('leader_price'),
    groupSize: integer('group_size').notNull(),
    /** a team must fill within this after its leader paid */
    teamTimeLimitMs: integer('team_time_limit_ms').notNull(),
    /** how long a seat may stay unpaid (the order's payment window) */
    seatTtlMs: integer('seat_ttl_ms').notNull(),
    allocated: integer('allocated').notNull(),
    perShopperLimit: integer('per_shopper_limit').notNull(),
    /** 模拟成团: off by default */
    autoFill: integer('auto_fill', { mode: 'boolean' }).notNull().default(false),
    startsAt: integer('starts_at').notNull(),
    endsAt: integer('ends_at').notNull(),
    status: text('status', { enum: ['active', 'cancelled'] })
      .notNull()
      .default('active'),
    /** Unsold units returned to normal stock after the deal was wound up (ledger ref gb-ret:<id>), exactly once. */
    returnedUnits: integer('returned_units'),
    returnedAt: integer('returned_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('group_buy_deals_window_idx').on(t.status, t.endsAt),
    index('group_buy_deals_return_idx').on(t.returnedAt, t.endsAt),
    check('group_buy_deals_size', sql`${t.groupSize} BETWEEN 2 AND 10`),
    check('group_buy_deals_allocated_pos', sql`${t.allocated} > 0`),
    check(
      'group_buy_deals_prices',
      sql`${t.groupPrice} >= 0 AND (${t.leaderPrice} IS NULL OR ${t.leaderPrice} BETWEEN 0 AND ${t.groupPrice})`,
    ),
  ],
);

/**
 * D1's view of a team, so a team id finds its SKU's Durable Object and a deal can list its open
 * teams. The DO is the source of truth; this row follows it (status updates are idempotent).
 */
export const groupBuyTeams = sqliteTable(
  'group_buy_teams',
  {
    id: text('id').primaryKey(),
    dealId: text('deal_id').notNull(),
    skuId: text('sku_id').notNull(),
    leaderId: text('leader_id').notNull(),
    size: integer('size').notNull(),
    status: text('status', { enum: ['forming', 'open', 'succeeded', 'failed', 'void'] }).notNull(),
    expiresAt: integer('expires_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('group_buy_teams_deal_idx').on(t.dealId, t.status, t.expiresAt)],
);
