import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, uniqueIndex, check } from 'drizzle-orm/sqlite-core';

/**
 * What a rule or coupon covers. `merchant` rows own the promotion: a row whose merchantId is the
 * platform merchant is a platform promotion (all merchants' goods); any other merchantId limits it
 * to that merchant's goods. Scope narrows further within that.
 */
export type PromoScope =
  { type: 'all' } | { type: 'categories'; ids: string[] } | { type: 'products'; ids: string[] } | { type: 'skus'; ids: string[] };

/** 满减 tier: reach `threshold` (fen, or units when basis = quantity) → `off` fen. */
export interface ReductionTier {
  threshold: number;
  off: number;
}
/** 满折 tier: reach `threshold` → pay `rate` percent (90 = 9折, 88 = 8.8折). */
export interface DiscountTier {
  threshold: number;
  rate: number;
}

/**
 * Price rules the engine applies without the shopper choosing them:
 * - full_reduction 满减: tiers of amount off, or "每满X减Y" (repeat) with a cap;
 * - full_discount 满折: tiers of a pay rate ("满2件9折");
 * - limited_time 限时折扣: a pay rate or fixed SKU prices inside the window.
 * Terms are immutable after creation (orders point at them); only status changes.
 */
export const promotionRules = sqliteTable(
  'promotion_rules',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id').notNull(),
    kind: text('kind', { enum: ['full_reduction', 'full_discount', 'limited_time'] }).notNull(),
    name: text('name').notNull(),
    /** Shown on the quote and receipt, e.g. "双十一 满199减30". */
    label: text('label').notNull(),
    scope: text('scope', { mode: 'json' }).$type<PromoScope>().notNull(),
    /** full_*: whether thresholds count fen ('amount') or units ('quantity'). */
    basis: text('basis', { enum: ['amount', 'quantity'] })
      .notNull()
      .default('amount'),
    tiers: text('tiers', { mode: 'json' })
      .$type<ReductionTier[] | DiscountTier[]>()
      .notNull()
      .default(sql`'[]'`),
    /** full_reduction only: 每满 threshold 减 off, repeated, at most `cap` fen in all. */
    repeat: integer('repeat', { mode: 'boolean' }).notNull().default(false),
    cap: integer('cap'),
    /** limited_time: pay rate percent for every SKU in scope… */
    rate: integer('rate'),
    /** …or a fixed price per SKU id (fen); a SKU listed here ignores `rate`. */
    prices: text('prices', { mode: 'json' }).$type<Record<string, number>>(),
    /** Higher first when two rules could take the same line. */
    priority: integer('priority').notNull().default(0),
    campaignId: text('campaign_id'),
    startsAt: integer('starts_at').notNull(),
    endsAt: integer('ends_at').notNull(),
    status: text('status', { enum: ['active', 'disabled'] })
      .notNull()
      .default('active'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('promotion_rules_window_idx').on(t.status, t.endsAt),
    index('promotion_rules_campaign_idx').on(t.campaignId),
    check('promotion_rules_window', sql`${t.endsAt} > ${t.startsAt}`),
    check('promotion_rules_rate', sql`${t.rate} IS NULL OR (${t.rate} >= 1 AND ${t.rate} <= 99)`),
  ],
);

export const COUPON_KINDS = ['amount_off', 'percent_off', 'free_shipping'] as const;
export const COUPON_CHANNELS = [
  'storefront',
  'code',
  'campaign',
  'segment',
  'new_user_pack',
  'lottery',
  'task',
  'points_mall',
  'member_perk',
  'referral',
] as const;
export type CouponChannel = (typeof COUPON_CHANNELS)[number];

/**
 * A coupon template (券模板). `issuedCount` ≤ `totalQuantity` is a CHECK, and every issue
 * increments it in the same D1 batch as the coupon row, so no concurrency can over-issue.
 */
export const couponTemplates = sqliteTable(
  'coupon_templates',
  {
    id: text('id').primaryKey(),
    /** Platform merchant id = platform coupon (平台券); otherwise a shop coupon (店铺券) for that merchant. */
    merchantId: text('merchant_id').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: COUPON_KINDS }).notNull(),
    /** Spend needed (fen) in scope, counted after 满减; 0 = 无门槛. */
    threshold: integer('threshold').notNull().default(0),
    /** amount_off: fen off. free_shipping: most shipping waived (null = all of it). */
    amountOff: integer('amount_off'),
    /** percent_off: pay rate percent (85 = 8.5折). */
    rate: integer('rate'),
    /** percent_off: most fen off (cap). */
    maxOff: integer('max_off'),
    scope: text('scope', { mode: 'json' }).$type<PromoScope>().notNull(),
    /** Validity: a fixed window, or `validDays` days from the claim. */
    validFrom: integer('valid_from'),
    validTo: integer('valid_to'),
    validDays: integer('valid_days'),
    /** When it can be claimed (storefront/code); defaults to the template's lifetime. */
    claimStartsAt: integer('claim_starts_at').notNull(),
    claimEndsAt: integer('claim_ends_at').notNull(),
    totalQuantity: integer('total_quantity').notNull(),
    issuedCount: integer('issued_count').notNull().default(0),
    usedCount: integer('used_count').notNull().default(0),
    perUserLimit: integer('per_user_limit').notNull().default(1),
    channels: text('channels', { mode: 'json' }).$type<CouponChannel[]>().notNull(),
    /** Redemption code (兑换码) for the 'code' channel, stored upper-case; unique. */
    code: text('code').unique(),
    /** New-user pack: tier order within the pack (1, 2, 3 …). */
    packOrder: integer('pack_order'),
    campaignId: text('campaign_id'),
    status: text('status', { enum: ['active', 'disabled'] })
      .notNull()
      .default('active'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('coupon_templates_status_idx').on(t.status, t.claimEndsAt),
    index('coupon_templates_campaign_idx').on(t.campaignId),
    check('coupon_templates_not_over_issued', sql`${t.issuedCount} <= ${t.totalQuantity}`),
    check(
      'coupon_templates_counts',
      sql`${t.issuedCount} >= 0 AND ${t.usedCount} >= 0 AND ${t.totalQuantity} >= 0 AND ${t.perUserLimit} >= 1`,
    ),
    check('coupon_templates_rate', sql`${t.rate} IS NULL OR (${t.rate} >= 1 AND ${t.rate} <= 99)`),
  ],
);

/**
 * A coupon a shopper holds (用户券). `grantKey` makes every issue path idempotent: the same
 * (user, grantKey) can exist once — "claim:<Idempotency-Key>", "pack:<templateId>",
 * "draw:<drawId>", "issue:<batchId>".
 */
export const userCoupons = sqliteTable(
  'user_coupons',
  {
    id: text('id').primaryKey(),
    templateId: text('template_id').notNull(),
    userId: text('user_id').notNull(),
    merchantId: text('merchant_id').notNull(),
    channel: text('channel', { enum: COUPON_CHANNELS }).notNull(),
    grantKey: text('grant_key').notNull(),
    status: text('status', { enum: ['available', 'used'] })
      .notNull()
      .default('available'),
    validFrom: integer('valid_from').notNull(),
    validTo: integer('valid_to').notNull(),
    /** Set while an order (paid or not) uses it; cleared when that checkout closes unpaid. */
    checkoutId: text('checkout_id'),
    orderId: text('order_id'),
    usedAt: integer('used_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('user_coupons_grant_uq').on(t.userId, t.grantKey),
    index('user_coupons_user_idx').on(t.userId, t.status, t.validTo),
    index('user_coupons_template_user_idx').on(t.templateId, t.userId),
    index('user_coupons_checkout_idx').on(t.checkoutId),
    check('user_coupons_window', sql`${t.validTo} > ${t.validFrom}`),
  ],
);

/** Lottery (抽奖). `budgetUsed` ≤ `budget` (fen value of prizes awarded) is a CHECK. */
export const lotteries = sqliteTable(
  'lotteries',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    startsAt: integer('starts_at').notNull(),
    endsAt: integer('ends_at').notNull(),
    /** Free draws per shopper per day (Asia/Shanghai calendar day). */
    freeDrawsPerDay: integer('free_draws_per_day').notNull().default(1),
    /** Most draws per shopper over the whole lottery; null = only the daily limit. */
    maxDrawsPerUser: integer('max_draws_per_user'),
    /** Entry cost in points beyond the free draws (0 = free draws only). */
    pointsPerDraw: integer('points_per_draw').notNull().default(0),
    budget: integer('budget').notNull(),
    budgetUsed: integer('budget_used').notNull().default(0),
    campaignId: text('campaign_id'),
    status: text('status', { enum: ['active', 'disabled'] })
      .notNull()
      .default('active'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    check('lotteries_budget', sql`${t.budgetUsed} <= ${t.budget} AND ${t.budgetUsed} >= 0`),
    check('lotteries_window', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

/** A prize in a lottery's pool. `awarded` ≤ `stock` is a CHECK; kind 'none' is 谢谢参与. */
export const lotteryPrizes = sqliteTable(
  'lottery_prizes',
  {
    id: text('id').primaryKey(),
    lotteryId: text('lottery_id').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['coupon', 'points', 'goods', 'none'] }).notNull(),
    couponTemplateId: text('coupon_template_id'),
    points: integer('points'),
    skuId: text('sku_id'),
    imageUrl: text('image_url'),
    /** Cost to the budget (fen) of awarding it once. */
    value: integer('value').notNull().default(0),
    weight: integer('weight').notNull(),
    stock: integer('stock').notNull(),
    awarded: integer('awarded').notNull().default(0),
    sortOrder: integer('sort_order').notNull().default(0),
  },
  (t) => [
    index('lottery_prizes_lottery_idx').on(t.lotteryId),
    check('lottery_prizes_stock', sql`${t.awarded} <= ${t.stock} AND ${t.awarded} >= 0`),
    check('lottery_prizes_weight', sql`${t.weight} >= 0`),
  ],
);

/** One draw. (user, lottery, idempotency key) is unique: a retried draw returns the first result. */
export const lotteryDraws = sqliteTable(
  'lottery_draws',
  {
    id: text('id').primaryKey(),
    lotteryId: text('lottery_id').notNull(),
    userId: text('user_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** Asia/Shanghai calendar day, "2026-11-11", for the daily free-draw count. */
    day: text('day').notNull(),
    prizeId: text('prize_id'),
    prizeKind: text('prize_kind', { enum: ['coupon', 'points', 'goods', 'none'] }).notNull(),
    prizeName: text('prize_name').notNull(),
    couponId: text('coupon_id'),
    points: integer('points'),
    /** goods prizes: 'to_ship' until staff ship it, then 'shipped'. */
    fulfilment: text('fulfilment', { enum: ['none', 'to_ship', 'shipped'] })
      .notNull()
      .default('none'),
    /** goods prizes: when and by whom it was shipped, with the staff's note (carrier, tracking number) */
    shippedAt: integer('shipped_at'),
    shippedBy: text('shipped_by'),
    shipNote: text('ship_note'),
    pointsSpent: integer('points_spent').notNull().default(0),
    /** true when the draw used an extra chance (lottery_chances) rather than a free draw or points */
    bonus: integer('bonus', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('lottery_draws_key_uq').on(t.userId, t.lotteryId, t.idempotencyKey),
    index('lottery_draws_user_day_idx').on(t.lotteryId, t.userId, t.day),
  ],
);

/**
 * Extra draws granted to a shopper (e.g. exchanged for points in the points mall). They are used
 * after the day's free draws and before paid ones, and do not count against maxDrawsPerUser.
 * `ref` is unique, so a retried grant lands once.
 */
export const lotteryChances = sqliteTable(
  'lottery_chances',
  {
    id: text('id').primaryKey(),
    lotteryId: text('lottery_id').notNull(),
    userId: text('user_id').notNull(),
    chances: integer('chances').notNull(),
    /** machine word of what granted them, e.g. 'points_mall' */
    source: text('source').notNull(),
    ref: text('ref').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('lottery_chances_ref_uq').on(t.ref),
    index('lottery_chances_user_idx').on(t.lotteryId, t.userId),
    check('lottery_chances_positive', sql`${t.chances} >= 1`),
  ],
);

export interface CampaignBanner {
  imageUrl: string;
  title: string;
  /** Storefront path or URL the banner opens. */
  link: string;
}

/** Who a campaign (or a segment issue) targets. */
export type Segment =
  | { kind: 'all' }
  | { kind: 'new_users'; days: number }
  | { kind: 'no_orders' }
  | { kind: 'users'; userIds: string[] }
  /** a members segment: an RFM layer ('layer:dormant') or an operator segment ('seg_…') */
  | { kind: 'segment'; segmentId: string };

/**
 * A named campaign (双十一, 618) grouping rules, coupons, lotteries and flash sales with a
 * schedule, a target segment, banners/popup for the storefront home and a budget (fen).
 * Coupons and prizes reserve their face value when issued; 满减 spend is added when an order is
 * placed and given back if it closes unpaid. Issuing stops once `budgetUsed` would pass `budget`.
 */
export const campaigns = sqliteTable(
  'campaigns',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    startsAt: integer('starts_at').notNull(),
    endsAt: integer('ends_at').notNull(),
    segment: text('segment', { mode: 'json' }).$type<Segment>().notNull(),
    budget: integer('budget').notNull(),
    budgetUsed: integer('budget_used').notNull().default(0),
    banners: text('banners', { mode: 'json' })
      .$type<CampaignBanner[]>()
      .notNull()
      .default(sql`'[]'`),
    popup: text('popup', { mode: 'json' }).$type<CampaignBanner | null>(),
    flashSaleIds: text('flash_sale_ids', { mode: 'json' })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    priority: integer('priority').notNull().default(0),
    status: text('status', { enum: ['active', 'disabled'] })
      .notNull()
      .default('active'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('campaigns_window_idx').on(t.status, t.endsAt),
    check('campaigns_window', sql`${t.endsAt} > ${t.startsAt}`),
    check('campaigns_budget_nonneg', sql`${t.budget} >= 0 AND ${t.budgetUsed} >= 0`),
  ],
);

/** Platform-wide promotion settings by key; 'stacking' holds the StackingPolicy JSON. */
export const promotionSettings = sqliteTable('promotion_settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * 满减/限时折扣 spend charged to a campaign by one checkout, so it can be given back exactly once
 * if the checkout closes unpaid (`releasedAt`).
 */
export const campaignSpends = sqliteTable(
  'campaign_spends',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id').notNull(),
    checkoutId: text('checkout_id').notNull(),
    amount: integer('amount').notNull(),
    createdAt: integer('created_at').notNull(),
    releasedAt: integer('released_at'),
  },
  (t) => [uniqueIndex('campaign_spends_uq').on(t.checkoutId, t.campaignId), check('campaign_spends_amount', sql`${t.amount} > 0`)],
);
