import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';

/** Preset icons the storefront can draw without an upload (an uploaded icon's media key wins). */
export const TIER_ICONS = ['leaf', 'star', 'medal', 'crown', 'diamond', 'gem'] as const;
export type TierIcon = (typeof TIER_ICONS)[number];

export const BIRTHDAY_GIFT_KINDS = ['none', 'coupon', 'points'] as const;

/**
 * Member tiers (会员等级), ordered by `rank`: a shopper is in the highest active tier whose
 * `threshold` their growth value reaches (checked when growth arrives; lowered only at review).
 * Perks are columns, not JSON, because checkout, the order hook and the cron read them in SQL.
 */
export const memberTiers = sqliteTable(
  'member_tiers',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    rank: integer('rank').notNull(),
    /** growth value (成长值) that reaches this tier */
    threshold: integer('threshold').notNull(),
    iconName: text('icon_name', { enum: TIER_ICONS }).notNull(),
    /** #rrggbb the storefront tints the icon and the tier card with */
    iconColor: text('icon_color').notNull(),
    /** an uploaded icon (media key); drawn instead of the preset when set */
    iconMediaKey: text('icon_media_key'),
    /** 享会员价: SKUs' member prices apply to this tier */
    memberPrice: integer('member_price', { mode: 'boolean' }).notNull().default(false),
    /** 会员折扣: pay this % of the price (98 = 9.8折); null = none */
    discountRate: integer('discount_rate'),
    /** 包邮门槛 in fen per parcel (0 = always free); null = no perk */
    freeShippingThreshold: integer('free_shipping_threshold'),
    /** points on orders ×(this / 100): 150 = 1.5倍积分 */
    pointsMultiplier: integer('points_multiplier').notNull().default(100),
    birthdayGiftKind: text('birthday_gift_kind', { enum: BIRTHDAY_GIFT_KINDS }).notNull().default('none'),
    birthdayCouponTemplateId: text('birthday_coupon_template_id'),
    birthdayPoints: integer('birthday_points'),
    /** customer-service queue priority (0 = normal; higher is served first) */
    supportPriority: integer('support_priority').notNull().default(0),
    status: text('status', { enum: ['active', 'disabled'] })
      .notNull()
      .default('active'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  // Two active tiers never share a rank; a disabled tier's rank may be reused.
  (t) => [
    uniqueIndex('member_tiers_active_rank_uq')
      .on(t.rank)
      .where(sql`status = 'active'`),
  ],
);

/** The earn rules and 保级 period: one row (id 'default'); defaults apply until staff save it. */
export const memberGrowthSettings = sqliteTable('member_growth_settings', {
  id: text('id').primaryKey(),
  /** growth per ¥1 of net paid */
  growthPerYuan: integer('growth_per_yuan').notNull(),
  /** growth per final order with something paid */
  growthPerOrder: integer('growth_per_order').notNull(),
  /** points per ¥1 of net paid, before the tier's multiplier */
  pointsPerYuan: integer('points_per_yuan').notNull(),
  /** the 保级 period: months from reaching a tier to its review; growth counts over this window */
  reviewMonths: integer('review_months').notNull(),
  updatedAt: integer('updated_at').notNull(),
  updatedBy: text('updated_by'),
});

/** Growth ledger (成长值): append-only; `ref` is unique so an order or adjustment counts once. */
export const growthLedger = sqliteTable(
  'growth_ledger',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    delta: integer('delta').notNull(),
    /** 'order' | 'admin' */
    reason: text('reason').notNull(),
    ref: text('ref').notNull(),
    note: text('note'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('growth_ledger_ref_uq').on(t.ref), index('growth_ledger_user_idx').on(t.userId, t.createdAt)],
);

/**
 * A shopper's tier now. No row = the lowest active tier, no review. `reviewAt` is when the 保级
 * period ends (null in the lowest tier: nothing to lose).
 */
export const memberStates = sqliteTable(
  'member_states',
  {
    userId: text('user_id').primaryKey(),
    tierId: text('tier_id').notNull(),
    tierSince: integer('tier_since').notNull(),
    reviewAt: integer('review_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('member_states_review_idx').on(t.reviewAt), index('member_states_tier_idx').on(t.tierId)],
);

export const TIER_CHANGE_REASONS = ['upgrade', 'review_downgrade', 'review_keep', 'admin'] as const;
export type TierChangeReason = (typeof TIER_CHANGE_REASONS)[number];

/** Every tier change with its reason (and every kept review): what the shopper and staff see. */
export const memberTierChanges = sqliteTable(
  'member_tier_changes',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    fromTierId: text('from_tier_id'),
    fromName: text('from_name'),
    toTierId: text('to_tier_id').notNull(),
    toName: text('to_name').notNull(),
    reason: text('reason', { enum: TIER_CHANGE_REASONS }).notNull(),
    /** the growth value the decision was made on */
    growth: integer('growth').notNull(),
    /** unique: `upgrade:<growth ref>`, `review:<userId>:<reviewAt>`, `admin:<id>` — each decision once */
    ref: text('ref').notNull(),
    note: text('note'),
    staffId: text('staff_id'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('member_tier_changes_ref_uq').on(t.ref), index('member_tier_changes_user_idx').on(t.userId, t.createdAt)],
);

/** Birthday gifts: one per shopper per Beijing year (unique), granted or why not. */
export const birthdayGifts = sqliteTable(
  'member_birthday_gifts',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    year: integer('year').notNull(),
    tierId: text('tier_id').notNull(),
    kind: text('kind', { enum: ['coupon', 'points'] }).notNull(),
    couponId: text('coupon_id'),
    points: integer('points'),
    status: text('status', { enum: ['granted', 'failed'] }).notNull(),
    note: text('note'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('member_birthday_gifts_user_year_uq').on(t.userId, t.year)],
);

/** Progress of once-a-day cron work (the birthday run), keyed by Beijing day. */
export const memberJobRuns = sqliteTable(
  'member_job_runs',
  {
    job: text('job').notNull(),
    day: text('day').notNull(),
    /** the last user id handled; the next minute continues after it */
    cursor: text('cursor'),
    done: integer('done', { mode: 'boolean' }).notNull().default(false),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.job, t.day] })],
);
