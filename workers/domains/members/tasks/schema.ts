import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** What a task counts. browse/share come from the storefront's event route; the rest from other domains' hooks. */
export const TASK_KINDS = [
  'browse_product',
  'share_product',
  'write_review',
  'complete_profile',
  'first_order',
  'subscribe_messages',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
/** daily: progress and the claim start afresh each Beijing day; once: for ever. */
export const TASK_PERIODS = ['daily', 'once'] as const;
export const TASK_REWARD_KINDS = ['points', 'coupon', 'makeup_cards'] as const;

/** 任务配置, written by staff (members.write). Never deleted: disabling hides it, past claims keep pointing at it. */
export const tasks = sqliteTable(
  'member_tasks',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    description: text('description'),
    kind: text('kind', { enum: TASK_KINDS }).notNull(),
    period: text('period', { enum: TASK_PERIODS }).notNull(),
    /** events needed (e.g. browse 3 products) */
    targetCount: integer('target_count').notNull(),
    /** browse_product: a visit counts once the product page was viewed this long */
    browseSeconds: integer('browse_seconds'),
    rewardKind: text('reward_kind', { enum: TASK_REWARD_KINDS }).notNull(),
    rewardPoints: integer('reward_points'),
    /** a coupon template open to the 'task' channel */
    rewardCouponTemplateId: text('reward_coupon_template_id'),
    rewardCards: integer('reward_cards'),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    sortOrder: integer('sort_order').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('member_tasks_order_idx').on(t.enabled, t.sortOrder)],
);

/**
 * What shoppers did that tasks count. Unique (user, kind, ref): the same product browsed twice a
 * day, a redelivered order hook or a repeated review hook counts once. `value` carries the browse
 * seconds (the longest report of that visit).
 */
export const taskEvents = sqliteTable(
  'member_task_events',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    kind: text('kind', { enum: TASK_KINDS }).notNull(),
    ref: text('ref').notNull(),
    /** Beijing date the event happened */
    day: text('day').notNull(),
    value: integer('value'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('member_task_events_uq').on(t.userId, t.kind, t.ref),
    index('member_task_events_day_idx').on(t.userId, t.kind, t.day),
  ],
);

/**
 * A paid task reward. Unique (user, task, period): a daily task pays once per Beijing day
 * (period = the day), a one-off task once ever (period = 'once'), however many claims race.
 */
export const taskClaims = sqliteTable(
  'member_task_claims',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    taskId: text('task_id').notNull(),
    period: text('period').notNull(),
    rewardKind: text('reward_kind', { enum: TASK_REWARD_KINDS }).notNull(),
    points: integer('points'),
    couponTemplateId: text('coupon_template_id'),
    couponId: text('coupon_id'),
    cards: integer('cards'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('member_task_claims_uq').on(t.userId, t.taskId, t.period),
    index('member_task_claims_task_idx').on(t.taskId, t.period),
  ],
);
