import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';

/** article 文章 · topic 专题 · scene_guide 场景指南 */
export const CONTENT_KINDS = ['article', 'topic', 'scene_guide'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

/**
 * draft → review (screening said review/warn, or shoppers flagged it) → approved (no publish time
 * yet) → scheduled (publishAt set) → published (the cron flips it once publishAt passed; reads
 * decide by time, so a scheduled item is public from publishAt even before the cron) → taken_down.
 */
export const CONTENT_STATUSES = ['draft', 'review', 'approved', 'scheduled', 'published', 'taken_down'] as const;
export type ContentStatus = (typeof CONTENT_STATUSES)[number];

/** none · flagged (shoppers' reports/dislikes crossed the threshold) · cleared (an operator approved it after a flag: not flagged again) */
export const FLAG_STATES = ['none', 'flagged', 'cleared'] as const;

/**
 * 内容: articles, topics and scene guides. `body` is stored sanitised (allow-listed HTML);
 * productIds and tags are JSON arrays. The shopper counters are recomputed from their rows in the
 * batch that changes them, so a burst cannot drift them.
 */
export const contentItems = sqliteTable(
  'content_items',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: CONTENT_KINDS }).notNull(),
    title: text('title').notNull(),
    summary: text('summary'),
    coverMediaKey: text('cover_media_key'),
    body: text('body').notNull(),
    productIds: text('product_ids').notNull(),
    tags: text('tags').notNull(),
    /** 春节, 618, 双11, 开学季…: what the calendar groups seasonal items by */
    seasonTag: text('season_tag'),
    status: text('status', { enum: CONTENT_STATUSES }).notNull(),
    publishAt: integer('publish_at'),
    /** the last screening on submit: verdict and matches (JSON) */
    screenVerdict: text('screen_verdict'),
    screenMatches: text('screen_matches'),
    rejectReason: text('reject_reason'),
    takedownReason: text('takedown_reason'),
    flagState: text('flag_state', { enum: FLAG_STATES }).notNull(),
    flagReason: text('flag_reason'),
    flaggedAt: integer('flagged_at'),
    likes: integer('likes').notNull(),
    dislikes: integer('dislikes').notNull(),
    reports: integer('reports').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('content_items_status_idx').on(t.status, t.publishAt),
    index('content_items_kind_idx').on(t.kind, t.status, t.publishAt),
    index('content_items_flag_idx').on(t.flagState),
  ],
);

/** A shopper's like or dislike: one per shopper per content (a second rating replaces the first). */
export const contentReactions = sqliteTable(
  'content_reactions',
  {
    contentId: text('content_id').notNull(),
    userId: text('user_id').notNull(),
    value: text('value', { enum: ['like', 'dislike'] }).notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.contentId, t.userId] })],
);

/** A shopper's report (举报) of a content: one per shopper per content. */
export const contentReports = sqliteTable(
  'content_reports',
  {
    contentId: text('content_id').notNull(),
    userId: text('user_id').notNull(),
    reason: text('reason').notNull(),
    note: text('note'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.contentId, t.userId] }), index('content_reports_time_idx').on(t.contentId, t.createdAt)],
);

export const CONTENT_EVENT_KINDS = ['view', 'dwell', 'click', 'share'] as const;
export type ContentEventKind = (typeof CONTENT_EVENT_KINDS)[number];

/**
 * What a shopper (or a device, signed out) did with a content on a Beijing day: unique per
 * (content, subject, kind, ref, day), so a repeated report counts once; `value` is the dwell
 * seconds (the longest report of the day). ref is the product id for a click, '' otherwise.
 */
export const contentEvents = sqliteTable(
  'content_events',
  {
    id: text('id').primaryKey(),
    contentId: text('content_id').notNull(),
    subject: text('subject').notNull(),
    kind: text('kind', { enum: CONTENT_EVENT_KINDS }).notNull(),
    ref: text('ref').notNull(),
    day: text('day').notNull(),
    value: integer('value').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('content_events_uq').on(t.contentId, t.subject, t.kind, t.ref, t.day),
    index('content_events_subject_idx').on(t.subject, t.day),
  ],
);

/** The content's own daily rollup (Beijing day) until an analytics domain exists. */
export const contentMetricsDaily = sqliteTable(
  'content_metrics_daily',
  {
    contentId: text('content_id').notNull(),
    day: text('day').notNull(),
    views: integer('views').notNull().default(0),
    dwellSeconds: integer('dwell_seconds').notNull().default(0),
    clicks: integer('clicks').notNull().default(0),
    shares: integer('shares').notNull().default(0),
    orders: integer('orders').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.contentId, t.day] }), index('content_metrics_day_idx').on(t.day)],
);

/**
 * A signed-in shopper viewed a content or clicked one of its products: an order of that product
 * paid within the attribution window after `at` counts for the content (the latest touch wins).
 */
export const contentTouches = sqliteTable(
  'content_touches',
  {
    userId: text('user_id').notNull(),
    productId: text('product_id').notNull(),
    contentId: text('content_id').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.productId, t.contentId] }), index('content_touches_at_idx').on(t.at)],
);

/** An order attributed to a content: once per (content, order), on the Beijing day it was paid. */
export const contentOrders = sqliteTable(
  'content_orders',
  {
    contentId: text('content_id').notNull(),
    orderId: text('order_id').notNull(),
    userId: text('user_id').notNull(),
    day: text('day').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.contentId, t.orderId] })],
);

/** banner 轮播图 · topic_entry 专题入口 · product_rail 商品栏 */
export const HOME_SECTION_KINDS = ['banner', 'topic_entry', 'product_rail'] as const;
export type HomeSectionKind = (typeof HOME_SECTION_KINDS)[number];

/** 首页装修: the storefront home's sections in `position` order, each shown from startsAt until endsAt. */
export const homeSections = sqliteTable(
  'home_sections',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: HOME_SECTION_KINDS }).notNull(),
    title: text('title').notNull(),
    position: integer('position').notNull(),
    /** kind-specific JSON (dto.ts HomeSectionPayload) */
    payload: text('payload').notNull(),
    startsAt: integer('starts_at'),
    endsAt: integer('ends_at'),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('home_sections_pos_idx').on(t.enabled, t.position)],
);
