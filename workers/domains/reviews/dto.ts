import { z } from '@hono/zod-openapi';
import { pageQuery, pageSchema } from '../../shared/pagination';
import { HOLD_REASONS, REVIEW_STATUSES } from './schema';

const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });
const id = z.string().min(4).max(40);

/** The tags a shopper may pick (a fixed list, so tag counts add up across reviews). */
export const REVIEW_TAGS = [
  '质量好',
  '物流快',
  '性价比高',
  '描述相符',
  '包装好',
  '服务好',
  '做工精细',
  '颜值高',
  '尺码合适',
  '值得回购',
] as const;
export const MAX_REVIEW_PHOTOS = 9;
export const MAX_REVIEW_TEXT = 500;
/** Reasons a shopper may report a review for. */
export const REPORT_REASONS = ['广告', '辱骂', '色情低俗', '虚假评价', '泄露隐私', '其他'] as const;

const mediaKeys = z
  .array(z.string().min(1).max(200))
  .max(MAX_REVIEW_PHOTOS)
  .default([])
  .refine((ks) => new Set(ks).size === ks.length, 'each photo at most once');

export const CreateReviewInput = z
  .object({
    orderLineId: id.openapi({ description: 'the delivered order line being reviewed' }),
    rating: z.number().int().min(1).max(5).openapi({ description: '1–5 stars' }),
    text: z.string().trim().min(1).max(MAX_REVIEW_TEXT).openapi({ example: '杯子做工不错，保温效果好，物流也快' }),
    photoKeys: mediaKeys.openapi({ description: `keys from uploadReviewMedia (photos), at most ${MAX_REVIEW_PHOTOS}` }),
    videoKey: z.string().min(1).max(200).optional().openapi({ description: 'one short video from uploadReviewMedia instead of photos' }),
    tags: z
      .array(z.enum(REVIEW_TAGS))
      .max(REVIEW_TAGS.length)
      .default([])
      .refine((ts) => new Set(ts).size === ts.length, 'each tag at most once')
      .openapi({ description: `from the fixed list: ${REVIEW_TAGS.join(' / ')}` }),
    anonymous: z.boolean().default(false).openapi({ description: 'show a masked name instead of the nickname' }),
  })
  .refine((v) => !(v.videoKey && v.photoKeys.length), { message: 'photos or one video, not both', path: ['videoKey'] })
  .openapi('CreateReviewInput');
export type CreateReviewInput = z.infer<typeof CreateReviewInput>;

export const AppendReviewInput = z
  .object({
    text: z.string().trim().min(1).max(MAX_REVIEW_TEXT).openapi({ example: '用了一个月，依然很满意' }),
    photoKeys: mediaKeys.openapi({ description: `keys from uploadReviewMedia, at most ${MAX_REVIEW_PHOTOS}` }),
  })
  .openapi('AppendReviewInput');
export type AppendReviewInput = z.infer<typeof AppendReviewInput>;

export const ReplyReviewInput = z
  .object({ text: z.string().trim().min(1).max(300).openapi({ example: '感谢您的认可，期待再次光临！' }) })
  .openapi('ReplyReviewInput');

export const ReportReviewInput = z
  .object({
    reason: z.enum(REPORT_REASONS).openapi({ description: REPORT_REASONS.join(' / ') }),
    note: z.string().trim().max(200).default(''),
  })
  .openapi('ReportReviewInput');
export type ReportReviewInput = z.infer<typeof ReportReviewInput>;

export const ModerationPart = z.enum(['review', 'append']).openapi({ description: 'the first review or its follow-up (追评)' });
export const ApproveReviewInput = z.object({ part: ModerationPart.default('review') }).openapi('ApproveReviewInput');
export const RejectReviewInput = z
  .object({
    part: ModerationPart.default('review'),
    reason: z.string().trim().min(1).max(200).openapi({ description: 'shown to the shopper', example: '含有广告用语，请修改后重新评价' }),
  })
  .openapi('RejectReviewInput');

export const ReviewParam = z.object({ reviewId: id });
export const ProductParam = z.object({ productId: id });

export const REVIEW_FILTERS = ['all', 'media', 'good', 'medium', 'bad', 'append'] as const;
export const ProductReviewsQuery = z.object({
  ...pageQuery,
  filter: z
    .enum(REVIEW_FILTERS)
    .default('all')
    .openapi({ description: 'all 全部 · media 有图/视频 · good 好评 (4–5★) · medium 中评 (3★) · bad 差评 (1–2★) · append 追评' }),
  star: z.coerce.number().int().min(1).max(5).optional().openapi({ description: 'only this many stars' }),
  tag: z.enum(REVIEW_TAGS).optional(),
});
export type ProductReviewsQuery = z.infer<typeof ProductReviewsQuery>;

export const MyReviewsQuery = z.object({ ...pageQuery });
export const AdminReviewsQuery = z.object({
  ...pageQuery,
  productId: id.optional(),
  merchantId: id.optional(),
  status: z.enum(REVIEW_STATUSES).optional(),
  replied: z.enum(['true', 'false']).optional().openapi({ description: 'only reviews with (true) or without (false) a reply' }),
});
export type AdminReviewsQuery = z.infer<typeof AdminReviewsQuery>;
export const ModerationQuery = z.object({ ...pageQuery });

const Media = z.object({ key: z.string(), url: z.string() });
export const ScreeningMatchSchema = z
  .object({
    term: z.string(),
    category: z.string(),
    severity: z.string(),
    start: z.number().int().openapi({ description: 'UTF-16 offset into the text' }),
    end: z.number().int(),
    hint: z.string().nullable(),
  })
  .openapi('ReviewScreeningMatch');
export const ScreeningSchema = z
  .object({
    verdict: z.enum(['pass', 'warn', 'review', 'block']),
    matches: z.array(ScreeningMatchSchema),
    duplicates: z.array(z.object({ reviewId: z.string(), distance: z.number().int() })),
  })
  .openapi('ReviewScreening');

export const AppendSchema = z
  .object({
    text: z.string(),
    photos: z.array(Media),
    createdAt: isoTime,
    /** present for its author and staff; public lists show published follow-ups only */
    status: z.enum(REVIEW_STATUSES).optional(),
    rejectReason: z.string().nullable().optional(),
  })
  .openapi('ReviewAppend');

/** A review as the storefront shows it. */
export const ReviewSchema = z
  .object({
    id: z.string(),
    productId: z.string(),
    productTitle: z.string(),
    specKey: z.string(),
    rating: z.number().int(),
    text: z.string(),
    photos: z.array(Media),
    video: Media.nullable(),
    tags: z.array(z.string()),
    anonymous: z.boolean(),
    author: z.object({ name: z.string().openapi({ description: 'nickname, or a masked one (张**) when anonymous' }) }),
    helpfulCount: z.number().int(),
    votedHelpful: z.boolean().openapi({ description: 'the signed-in shopper marked it helpful' }),
    append: AppendSchema.nullable(),
    reply: z.object({ text: z.string(), repliedAt: isoTime }).nullable(),
    createdAt: isoTime,
    /** present for its author: published, pending (审核中) or rejected with the reason */
    status: z.enum(REVIEW_STATUSES).optional(),
    rejectReason: z.string().nullable().optional(),
    orderLineId: z.string().optional(),
  })
  .openapi('Review');
export type ReviewDto = z.infer<typeof ReviewSchema>;

/** A review for staff: everything, with the screening results. */
export const AdminReviewSchema = ReviewSchema.extend({
  orderId: z.string(),
  orderLineId: z.string(),
  userId: z.string(),
  merchantId: z.string(),
  status: z.enum(REVIEW_STATUSES),
  holdReason: z.enum(HOLD_REASONS).nullable(),
  rejectReason: z.string().nullable(),
  screening: ScreeningSchema,
  appendStatus: z.enum(REVIEW_STATUSES).nullable(),
  appendHoldReason: z.enum(HOLD_REASONS).nullable(),
  appendScreening: ScreeningSchema.nullable(),
  reportCount: z.number().int(),
  authorNickname: z.string(),
  updatedAt: isoTime,
}).openapi('AdminReview');
export type AdminReviewDto = z.infer<typeof AdminReviewSchema>;

export const RatingSummarySchema = z
  .object({
    count: z.number().int(),
    average: z.number().openapi({ description: 'mean stars, one decimal; 0 with no reviews' }),
    stars: z.object({ 1: z.number().int(), 2: z.number().int(), 3: z.number().int(), 4: z.number().int(), 5: z.number().int() }),
    goodRate: z.number().openapi({ description: 'share of 4–5★ reviews, 0…1 (1 with no reviews: nothing bad said)' }),
    withMedia: z.number().int(),
    withAppend: z.number().int(),
    tags: z.array(z.object({ tag: z.string(), count: z.number().int() })).openapi({ description: 'most used first' }),
  })
  .openapi('ReviewSummary');
export type RatingSummaryDto = z.infer<typeof RatingSummarySchema>;

export const ProductReviewPageSchema = z
  .object({ summary: RatingSummarySchema, items: z.array(ReviewSchema), nextCursor: z.string().nullable() })
  .openapi('ProductReviewPage');
export const ReviewPageSchema = pageSchema(ReviewSchema).openapi('ReviewPage');
export const AdminReviewPageSchema = pageSchema(AdminReviewSchema).openapi('AdminReviewPage');

export const CreateReviewResultSchema = ReviewSchema.openapi('CreateReviewResult');
export const HelpfulSchema = z
  .object({ reviewId: z.string(), votedHelpful: z.boolean(), helpfulCount: z.number().int() })
  .openapi('ReviewHelpful');
export const ReportResultSchema = z.object({ reviewId: z.string(), reported: z.literal(true) }).openapi('ReviewReportResult');

export const ReviewMediaSchema = z
  .object({
    key: z.string(),
    url: z.string(),
    kind: z.enum(['photo', 'video']),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
  })
  .openapi('ReviewMedia');

export const ReviewableLineSchema = z
  .object({
    orderId: z.string(),
    orderNo: z.string(),
    orderLineId: z.string(),
    productId: z.string(),
    title: z.string(),
    specKey: z.string(),
    imageUrl: z.string().nullable(),
    deliveredAt: isoTime,
    reviewBy: isoTime.openapi({ description: 'the last moment a review is accepted' }),
  })
  .openapi('ReviewableLine');
export const ReviewableLineListSchema = z.object({ items: z.array(ReviewableLineSchema) }).openapi('ReviewableLineList');
