import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, uniqueIndex, primaryKey, check } from 'drizzle-orm/sqlite-core';

/** RFM layers (用户分层): 新客, 活跃, 沉睡, 流失. */
export const LAYERS = ['new', 'active', 'dormant', 'lost'] as const;
export type Layer = (typeof LAYERS)[number];

/**
 * The one settings row (id 'default'): layer thresholds and the win-back pack (专属回归礼包).
 * Read with defaults when the row is missing, so a fresh shop segments before anyone saves.
 */
export const segmentSettings = sqliteTable(
  'segment_settings',
  {
    id: text('id').primaryKey(),
    /** 新客: registered within this many days and at most one order. */
    newDays: integer('new_days').notNull(),
    /** 沉睡: no order (or, never having ordered, no registration) for this many days. */
    dormantDays: integer('dormant_days').notNull(),
    /** 流失: … for this many days. */
    lostDays: integer('lost_days').notNull(),
    winBackEnabled: integer('win_back_enabled', { mode: 'boolean' }).notNull(),
    /** Coupon templates of the pack (channel 定向发放); one coupon of each per shopper per entry. */
    winBackTemplateIds: text('win_back_template_ids', { mode: 'json' }).$type<string[]>().notNull(),
    /** A shopper who got a pack gets another only this many days later (woke up and fell asleep again). */
    winBackCooldownDays: integer('win_back_cooldown_days').notNull(),
    /** A shopper counts as returned when they pay an order within this many days of the pack. */
    winBackReturnDays: integer('win_back_return_days').notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [check('segment_settings_thresholds', sql`${t.newDays} >= 1 AND ${t.dormantDays} >= 1 AND ${t.lostDays} > ${t.dormantDays}`)],
);

/**
 * Each shopper's RFM figures and layer as of the last nightly run (one row per shopper). Operator
 * segments are evaluated against these rows, so a preview or an issue is one indexed query here
 * and never a scan of orders per shopper.
 */
export const memberProfiles = sqliteTable(
  'member_profiles',
  {
    userId: text('user_id').primaryKey(),
    layer: text('layer', { enum: LAYERS }).notNull(),
    /** When the shopper entered this layer (epoch ms of the run that moved them). */
    layerSince: integer('layer_since').notNull(),
    registeredAt: integer('registered_at').notNull(),
    /** F: paid purchases (checkouts), ever. */
    orderCount: integer('order_count').notNull(),
    /** M: fen paid less refunds, ever. */
    spend: integer('spend').notNull(),
    /** R: the last paid order, null if none. */
    lastOrderAt: integer('last_order_at'),
    /** City of the default address (plain in the address book), null without one. */
    city: text('city'),
    /** Tier id from the tiers feature, null when unknown. */
    tierId: text('tier_id'),
    /** Beijing day of the run that wrote the row. */
    day: text('day').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('member_profiles_layer_idx').on(t.layer, t.userId),
    index('member_profiles_spend_idx').on(t.spend),
    index('member_profiles_last_order_idx').on(t.lastOrderAt),
    index('member_profiles_city_idx').on(t.city),
    index('member_profiles_tier_idx').on(t.tierId),
  ],
);

/** Every layer change, written once per shopper per Beijing day (the nightly run's unique key). */
export const layerChanges = sqliteTable(
  'member_layer_changes',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    /** null: the shopper's first classification */
    fromLayer: text('from_layer', { enum: LAYERS }),
    toLayer: text('to_layer', { enum: LAYERS }).notNull(),
    day: text('day').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('member_layer_changes_uq').on(t.userId, t.day), index('member_layer_changes_day_idx').on(t.day, t.toLayer)],
);

/**
 * One nightly run per Beijing day. The cron advances `cursor` page by page (guarded on its old
 * value, so two concurrent crons cannot both commit a page) until `phase` is 'done'.
 */
export const segmentRuns = sqliteTable('segment_runs', {
  day: text('day').primaryKey(),
  /** 'profiles': classifying shoppers page by page; 'win_back': issuing packs; 'sizes': recording sizes; 'done'. */
  phase: text('phase', { enum: ['profiles', 'win_back', 'sizes', 'done'] }).notNull(),
  /** Last shopper id classified ('' before the first page). */
  cursor: text('cursor').notNull(),
  processed: integer('processed').notNull().default(0),
  changes: integer('changes').notNull().default(0),
  startedAt: integer('started_at').notNull(),
  finishedAt: integer('finished_at'),
});

/** Segment sizes per day (the four layers and every operator segment): the trend lines. */
export const segmentSizes = sqliteTable(
  'segment_sizes',
  {
    day: text('day').notNull(),
    /** 'layer:<layer>' or an operator segment id 'seg_…' */
    segmentId: text('segment_id').notNull(),
    size: integer('size').notNull(),
  },
  (t) => [primaryKey({ columns: [t.segmentId, t.day] })],
);

/** Rules of an operator-defined segment; every given condition must hold (AND); lists match any of their values. */
export interface SegmentRules {
  layers?: Layer[];
  tierIds?: string[];
  /** fen, inclusive */
  minSpend?: number;
  maxSpend?: number;
  minOrders?: number;
  maxOrders?: number;
  /** epoch ms: the last order was before / at or after this instant (a shopper without orders matches neither) */
  lastOrderBefore?: number;
  lastOrderAfter?: number;
  cities?: string[];
  /** tag ids: the shopper has at least one of them */
  tagIds?: string[];
}

/** Operator-defined segments (自定义分群). */
export const memberSegments = sqliteTable('member_segments', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  rules: text('rules', { mode: 'json' }).$type<SegmentRules>().notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** Staff-set shopper tags (用户标签). */
export const memberTags = sqliteTable('member_tags', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const memberUserTags = sqliteTable(
  'member_user_tags',
  {
    userId: text('user_id').notNull(),
    tagId: text('tag_id').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.tagId] }), index('member_user_tags_tag_idx').on(t.tagId, t.userId)],
);

/**
 * A win-back pack owed to a shopper who entered 沉睡 on `day`: written with the layer change (so
 * once per entry: unique per shopper and day), then issued by the next step of the run.
 */
export const winBackGrants = sqliteTable(
  'win_back_grants',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    day: text('day').notNull(),
    status: text('status', { enum: ['pending', 'issued', 'failed'] }).notNull(),
    /** coupon ids issued (one per template that could be issued) */
    couponIds: text('coupon_ids', { mode: 'json' })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    /** why nothing was issued (all templates disabled, sold out, …) */
    failure: text('failure'),
    createdAt: integer('created_at').notNull(),
    issuedAt: integer('issued_at'),
  },
  (t) => [
    uniqueIndex('win_back_grants_uq').on(t.userId, t.day),
    index('win_back_grants_status_idx').on(t.status, t.createdAt),
    index('win_back_grants_user_idx').on(t.userId, t.createdAt),
    index('win_back_grants_issued_idx').on(t.issuedAt),
  ],
);
