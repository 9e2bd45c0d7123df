import { sqliteTable, text, integer, index, uniqueIndex, primaryKey, check } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';

/** published: on the product page; pending: in the moderation queue; rejected: only its author sees it (with the reason). */
export const REVIEW_STATUSES = ['published', 'pending', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** Why a part waits in the moderation queue. */
export const HOLD_REASONS = ['screening', 'duplicate', 'reported'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** What screening found in a text, kept so the console can highlight it. */
export interface StoredScreening {
  verdict: 'pass' | 'warn' | 'review' | 'block';
  matches: { term: string; category: string; severity: string; start: number; end: number; hint: string | null }[];
  /** near-duplicate reviews (copy-paste spam) */
  duplicates: { reviewId: string; distance: number }[];
}

/**
 * 社区评测: one review per order line (the unique index is what decides a burst of creates), with
 * its one follow-up (追评) and the merchant's one reply in the same row.
 */
export const reviews = sqliteTable(
  'reviews',
  {
    id: text('id').primaryKey(),
    orderLineId: text('order_line_id').notNull(),
    orderId: text('order_id').notNull(),
    userId: text('user_id').notNull(),
    merchantId: text('merchant_id').notNull(),
    productId: text('product_id').notNull(),
    skuId: text('sku_id').notNull(),
    /** snapshots of the order line, so lists need no catalog read */
    productTitle: text('product_title').notNull(),
    specKey: text('spec_key').notNull(),
    rating: integer('rating').notNull(),
    text: text('text').notNull(),
    photoKeys: text('photo_keys', { mode: 'json' })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    videoKey: text('video_key'),
    /** 1 when the first review or the follow-up carries photos or a video: the "有图" filter and photos-first order */
    hasMedia: integer('has_media').notNull().default(0),
    tags: text('tags', { mode: 'json' })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    anonymous: integer('anonymous', { mode: 'boolean' }).notNull().default(false),
    status: text('status', { enum: REVIEW_STATUSES }).notNull(),
    holdReason: text('hold_reason', { enum: HOLD_REASONS }),
    rejectReason: text('reject_reason'),
    screening: text('screening', { mode: 'json' }).$type<StoredScreening>().notNull(),
    /** set the first time the review was published (points are granted once, from then) */
    publishedAt: integer('published_at'),
    /**
     * When ReviewPublished was handed to the queue: a review published but never announced (the
     * send failed after the review was saved) is sent again by the cron (announceMissedReviews).
     */
    announcedAt: integer('announced_at'),
    helpfulCount: integer('helpful_count').notNull().default(0),
    reportCount: integer('report_count').notNull().default(0),
    /** report_count when an operator last cleared the review: only reports after that count towards a new hold */
    reportBaseline: integer('report_baseline').notNull().default(0),
    // 追评: one, by the author, screened like the first
    appendText: text('append_text'),
    appendPhotoKeys: text('append_photo_keys', { mode: 'json' }).$type<string[]>(),
    appendStatus: text('append_status', { enum: REVIEW_STATUSES }),
    appendHoldReason: text('append_hold_reason', { enum: HOLD_REASONS }),
    appendRejectReason: text('append_reject_reason'),
    appendScreening: text('append_screening', { mode: 'json' }).$type<StoredScreening>(),
    appendedAt: integer('appended_at'),
    // the merchant's (or an operator's) reply: one, editable
    replyText: text('reply_text'),
    replyBy: text('reply_by'),
    repliedAt: integer('replied_at'),
    idempotencyKey: text('idempotency_key'),
    moderatedBy: text('moderated_by'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('reviews_order_line_uq').on(t.orderLineId),
    // the cron's sweep: published, not announced yet (normally none)
    index('reviews_unannounced_idx')
      .on(t.publishedAt)
      .where(sql`announced_at IS NULL AND published_at IS NOT NULL`),
    // a product's page: published, photos first, newest first (the keyset of listProductReviews)
    index('reviews_product_list_idx').on(t.productId, t.status, t.hasMedia, t.createdAt, t.id),
    index('reviews_user_idx').on(t.userId, t.createdAt, t.id),
    index('reviews_merchant_idx').on(t.merchantId, t.createdAt, t.id),
    // the moderation queue reads only held rows
    index('reviews_pending_idx')
      .on(t.createdAt, t.id)
      .where(sql`status = 'pending' OR append_status = 'pending'`),
    check('reviews_rating_range', sql`${t.rating} BETWEEN 1 AND 5`),
    check('reviews_counts_nonneg', sql`${t.helpfulCount} >= 0 AND ${t.reportCount} >= 0`),
  ],
);

/** 有用: one per shopper per review; the count on the review is recomputed from these in the same batch. */
export const reviewVotes = sqliteTable(
  'review_votes',
  {
    reviewId: text('review_id').notNull(),
    userId: text('user_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.userId] })],
);

/** 举报: one per shopper per review. */
export const reviewReports = sqliteTable(
  'review_reports',
  {
    reviewId: text('review_id').notNull(),
    userId: text('user_id').notNull(),
    reason: text('reason').notNull(),
    note: text('note').notNull().default(''),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.userId] })],
);
