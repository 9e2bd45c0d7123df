import { z } from '@hono/zod-openapi';
import { pageQuery } from '../../shared/pagination';
import { NOTICE_STATUSES } from './schema';

const productId = z.string().regex(/^prd_[0-9a-z_]{4,32}$/, 'must be a prd_ id');
const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });

export const CreateSpotCheckInput = z
  .object({
    merchantId: z.string().regex(/^mch_[0-9a-z_]{4,32}$/, 'must be a mch_ id'),
    sampleSize: z.number().int().min(1).max(50).optional().openapi({ description: 'sample this many on-sale products at random' }),
    productIds: z
      .array(productId)
      .min(1)
      .max(50)
      .refine((v) => new Set(v).size === v.length, 'product ids must be unique')
      .optional()
      .openapi({ description: 'or check these products of the merchant' }),
    note: z.string().trim().max(200).default(''),
  })
  .refine((v) => (v.sampleSize === undefined) !== (v.productIds === undefined), {
    message: 'give either sampleSize or productIds',
    path: ['sampleSize'],
  })
  .openapi('CreateSpotCheckInput');

export const CheckMatchSchema = z
  .object({
    field: z.string(),
    term: z.string(),
    category: z.string(),
    severity: z.enum(['warn', 'review', 'block']),
    start: z.number().int(),
    end: z.number().int(),
    found: z.string(),
    hint: z.string().nullable(),
  })
  .openapi('SpotCheckMatch');

const noticeObject = z.object({
  id: z.string(),
  spotCheckId: z.string(),
  itemId: z.string(),
  productId: z.string(),
  merchantId: z.string(),
  productTitle: z.string(),
  reason: z.string(),
  deadlineAt: isoTime,
  status: z.enum(NOTICE_STATUSES),
  overdue: z.boolean().openapi({ description: 'open and past its deadline (the cron takes the product down within a minute)' }),
  correctionNote: z.string().nullable(),
  correctedAt: isoTime.nullable(),
  acceptedAt: isoTime.nullable(),
  reopenCount: z.number().int(),
  takenDownAt: isoTime.nullable(),
  takedownReason: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export const CorrectionNoticeSchema = noticeObject.openapi('CorrectionNotice');

export const SpotCheckItemSchema = z
  .object({
    id: z.string(),
    productId: z.string(),
    productTitle: z.string(),
    verdict: z.enum(['pass', 'warn', 'review', 'block']),
    matches: z.array(CheckMatchSchema),
    duplicates: z.array(z.object({ productId: z.string(), merchantId: z.string(), title: z.string(), distance: z.number().int() })),
    missingFacts: z.array(z.string()),
    passes: z.boolean(),
    /** the latest correction notice issued for this item */
    // Inline (not the CorrectionNotice component): a nullable use of a component makes the component itself nullable.
    notice: noticeObject.nullable(),
  })
  .openapi('SpotCheckItem');

export const SpotCheckSchema = z
  .object({
    id: z.string(),
    merchantId: z.string(),
    mode: z.enum(['random', 'chosen']),
    note: z.string(),
    createdBy: z.string(),
    createdAt: isoTime,
    items: z.array(SpotCheckItemSchema),
  })
  .openapi('SpotCheck');

export const SpotCheckSummarySchema = z
  .object({
    id: z.string(),
    merchantId: z.string(),
    mode: z.enum(['random', 'chosen']),
    note: z.string(),
    createdBy: z.string(),
    createdAt: isoTime,
    itemCount: z.number().int(),
    failingCount: z.number().int(),
    openNoticeCount: z.number().int(),
  })
  .openapi('SpotCheckSummary');

export const ListSpotChecksQuery = z.object({ ...pageQuery, merchantId: z.string().max(40).optional() });

const deadlineAt = z.iso.datetime({ offset: true }).openapi({ description: 'ISO-8601; must be in the future (限期整改)' });

export const IssueNoticeInput = z.object({ reason: z.string().trim().min(2).max(500), deadlineAt }).openapi('IssueCorrectionNoticeInput');

export const MarkCorrectedInput = z.object({ note: z.string().trim().max(500).default('') }).openapi('MarkNoticeCorrectedInput');

export const ReopenNoticeInput = z.object({ reason: z.string().trim().min(2).max(500), deadlineAt }).openapi('ReopenCorrectionNoticeInput');

export const ListNoticesQuery = z.object({
  ...pageQuery,
  status: z.enum(NOTICE_STATUSES).optional(),
  merchantId: z.string().max(40).optional().openapi({ description: 'operators only; merchants always see their own' }),
});

export type CreateSpotCheckInputT = z.infer<typeof CreateSpotCheckInput>;
export type CorrectionNoticeDto = z.infer<typeof CorrectionNoticeSchema>;
export type SpotCheckDto = z.infer<typeof SpotCheckSchema>;
export type SpotCheckSummaryDto = z.infer<typeof SpotCheckSummarySchema>;
