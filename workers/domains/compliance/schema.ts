import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** A match as catalog's screening reports it (field + UTF-16 offsets into that field). */
export interface CheckMatch {
  field: string;
  term: string;
  category: string;
  severity: 'warn' | 'review' | 'block';
  start: number;
  end: number;
  found: string;
  hint: string | null;
}

/** 抽查: an operator samples one merchant's products; each sampled product is an item. */
export const spotChecks = sqliteTable(
  'spot_checks',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id').notNull(),
    /** random: sampled among on-sale products; chosen: the operator named them */
    mode: text('mode', { enum: ['random', 'chosen'] }).notNull(),
    note: text('note').notNull().default(''),
    createdBy: text('created_by').notNull(),
    /** A retried create with the same Idempotency-Key returns this spot check (per operator). */
    idempotencyKey: text('idempotency_key'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('spot_checks_created_idx').on(t.createdAt), uniqueIndex('spot_checks_idem_uq').on(t.createdBy, t.idempotencyKey)],
);

/** One sampled product and its automatic check (screening + required facts) at sampling time. */
export const spotCheckItems = sqliteTable(
  'spot_check_items',
  {
    id: text('id').primaryKey(),
    spotCheckId: text('spot_check_id').notNull(),
    productId: text('product_id').notNull(),
    productTitle: text('product_title').notNull(),
    verdict: text('verdict', { enum: ['pass', 'warn', 'review', 'block'] }).notNull(),
    matches: text('matches', { mode: 'json' }).$type<CheckMatch[]>().notNull(),
    duplicates: text('duplicates', { mode: 'json' })
      .$type<{ productId: string; merchantId: string; title: string; distance: number }[]>()
      .notNull(),
    missingFacts: text('missing_facts', { mode: 'json' }).$type<string[]>().notNull(),
    passes: integer('passes', { mode: 'boolean' }).notNull(),
  },
  (t) => [uniqueIndex('spot_check_items_uq').on(t.spotCheckId, t.productId)],
);

export const NOTICE_STATUSES = ['open', 'corrected', 'taken_down', 'accepted'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/**
 * 整改通知: the operator's correction notice for one product, with a deadline (限期整改).
 * open → corrected (merchant fixed it; re-screened clean) → accepted (operator) or back to open
 * (reopened with a new deadline). open past its deadline → taken_down by the cron, exactly once:
 * the status change is the guard. At most one unresolved notice per product (partial unique index).
 */
export const correctionNotices = sqliteTable(
  'correction_notices',
  {
    id: text('id').primaryKey(),
    spotCheckId: text('spot_check_id').notNull(),
    itemId: text('item_id').notNull(),
    productId: text('product_id').notNull(),
    merchantId: text('merchant_id').notNull(),
    productTitle: text('product_title').notNull(),
    reason: text('reason').notNull(),
    deadlineAt: integer('deadline_at').notNull(),
    status: text('status', { enum: NOTICE_STATUSES }).notNull(),
    /** The merchant's note when marking it corrected. */
    correctionNote: text('correction_note'),
    correctedAt: integer('corrected_at'),
    acceptedAt: integer('accepted_at'),
    reopenCount: integer('reopen_count').notNull().default(0),
    takenDownAt: integer('taken_down_at'),
    takedownReason: text('takedown_reason'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('correction_notices_active_uq')
      .on(t.productId)
      .where(sql`status IN ('open', 'corrected', 'taken_down')`),
    index('correction_notices_due_idx').on(t.status, t.deadlineAt),
    index('correction_notices_merchant_idx').on(t.merchantId, t.status, t.createdAt),
    index('correction_notices_check_idx').on(t.spotCheckId),
  ],
);
