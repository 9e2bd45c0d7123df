import { z } from '@hono/zod-openapi';
import { pageQuery, pageSchema } from '../../shared/pagination';
import { AFTERSALE_STATUSES, AFTERSALE_TYPES } from './schema';

const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });
const id = z.string().min(4).max(40);

/** Reasons the storefront offers; free text up to 50 characters is accepted too. */
export const AFTERSALE_REASONS = [
  '不想要了',
  '拍错/多拍',
  '商品破损',
  '质量问题',
  '与描述不符',
  '少件/漏发',
  '发错货',
  '尺码不合适',
  '其他',
] as const;

export const MAX_AFTERSALE_PHOTOS = 9;

export const ApplyAfterSaleInput = z
  .object({
    type: z.enum(AFTERSALE_TYPES).openapi({ description: 'refund_only (仅退款), return_refund (退货退款) or exchange (换货)' }),
    reason: z
      .string()
      .trim()
      .min(1)
      .max(50)
      .openapi({ description: `one of ${AFTERSALE_REASONS.join(' / ')}, or a short text`, example: '质量问题' }),
    description: z.string().trim().max(500).default(''),
    photoKeys: z
      .array(z.string().max(200))
      .max(MAX_AFTERSALE_PHOTOS)
      .default([])
      .openapi({ description: `keys from uploadAfterSalePhoto, at most ${MAX_AFTERSALE_PHOTOS}` }),
    lines: z
      .array(z.object({ orderLineId: id, quantity: z.number().int().min(1).max(999) }))
      .min(1)
      .max(100)
      .refine((ls) => new Set(ls.map((l) => l.orderLineId)).size === ls.length, 'each order line at most once')
      .openapi({ description: 'which lines and how many units; partial quantities are fine' }),
    refundAmount: z.number().int('money is integer fen (1 yuan = 100)').min(1).max(1_000_000_000_00).optional().openapi({
      description:
        "integer fen; default and maximum: the lines' paid share for these units (plus the shipping fee when this refunds a whole unshipped order)",
    }),
  })
  .openapi('ApplyAfterSaleInput');

export const AfterSaleLineSchema = z
  .object({
    id: z.string(),
    orderLineId: z.string(),
    skuId: z.string(),
    title: z.string(),
    specKey: z.string(),
    quantity: z.number().int(),
    amount: z.number().int().openapi({ description: 'integer fen of this line refunded (0 for exchanges)' }),
  })
  .openapi('AfterSaleLine');

export const AfterSaleSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    userId: z.string(),
    merchantId: z.string(),
    type: z.enum(AFTERSALE_TYPES),
    status: z.enum(AFTERSALE_STATUSES),
    reason: z.string(),
    description: z.string(),
    photos: z.array(z.object({ key: z.string(), url: z.string() })),
    refundAmount: z.number().int().openapi({ description: 'integer fen to refund in total (lines + shipping)' }),
    shippingRefund: z.number().int().openapi({ description: 'part of refundAmount that is the shipping fee' }),
    rejectReason: z.string().nullable(),
    returnCarrier: z.string().nullable(),
    returnTrackingNo: z.string().nullable(),
    lines: z.array(AfterSaleLineSchema),
    refund: z
      .object({ outRefundNo: z.string(), status: z.string(), amount: z.number().int(), succeededAt: isoTime.nullable() })
      .nullable()
      .openapi({ description: 'the WeChat Pay refund, once started' }),
    createdAt: isoTime,
    updatedAt: isoTime,
    reviewedAt: isoTime.nullable(),
    completedAt: isoTime.nullable(),
  })
  .openapi('AfterSale');

export const AfterSalePageSchema = pageSchema(AfterSaleSchema).openapi('AfterSalePage');

export const ListMyAfterSalesQuery = z.object({
  ...pageQuery,
  status: z.enum(AFTERSALE_STATUSES).optional(),
  orderId: id.optional(),
});

export const AdminListAfterSalesQuery = z.object({
  ...pageQuery,
  status: z.enum(AFTERSALE_STATUSES).optional(),
  merchantId: z.string().max(40).optional(),
  orderId: id.optional(),
  userId: id.optional().openapi({ description: "one shopper's (the support inbox shows them beside the chat)" }),
  type: z.enum(AFTERSALE_TYPES).optional(),
});

export const ReviewAfterSaleInput = z
  .object({
    decision: z.enum(['approve', 'reject']),
    reason: z.string().trim().max(200).optional().openapi({ description: 'required when rejecting; shown to the shopper' }),
  })
  .refine((v) => v.decision !== 'reject' || (v.reason?.length ?? 0) > 0, { message: 'a rejection needs a reason', path: ['reason'] })
  .openapi('ReviewAfterSaleInput');

export const ReturnShipmentInput = z
  .object({
    carrier: z.string().trim().min(2).max(20).openapi({ example: 'SF' }),
    trackingNo: z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z-]{6,40}$/, 'tracking number: 6–40 letters, digits or dashes'),
  })
  .openapi('ReturnShipmentInput');

export const AfterSalePhotoSchema = z.object({ key: z.string(), url: z.string() }).openapi('AfterSalePhoto');

export type AfterSaleDto = z.infer<typeof AfterSaleSchema>;
export type ApplyAfterSale = z.infer<typeof ApplyAfterSaleInput>;

/** The `{afterSaleId}` path parameter of the after-sale routes. */
export const AfterSaleIdParam = z.object({ afterSaleId: z.string().min(4).max(40) });
