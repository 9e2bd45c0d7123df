import { z } from '@hono/zod-openapi';
import { fen } from '../../shared/money';

const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });

/** Carriers a parcel can be shipped with; `code` is what shipOrder and the tracking webhook send. */
export const CARRIERS = [
  { code: 'SF', name: '顺丰速运' },
  { code: 'ZTO', name: '中通快递' },
  { code: 'YTO', name: '圆通速递' },
  { code: 'YD', name: '韵达快递' },
  { code: 'STO', name: '申通快递' },
  { code: 'JD', name: '京东物流' },
  { code: 'EMS', name: '中国邮政EMS' },
] as const;
export type CarrierCode = (typeof CARRIERS)[number]['code'];
export const CARRIER_CODES = CARRIERS.map((c) => c.code) as [CarrierCode, ...CarrierCode[]];

/** The rule that covers every province no other rule names. */
export const REST_OF_COUNTRY = '*';

// ---------- freight templates ----------

const province = z.string().trim().min(1).max(20).openapi({ example: '广东省' });
/** Grams: a positive integer; 1,000 t is far beyond any parcel. */
const grams = () => z.number().int('weights are integer grams').min(1).max(1_000_000_000);

export const FreightRuleSchema = z
  .object({
    regions: z
      .array(province)
      .min(1)
      .max(40)
      .refine((r) => new Set(r).size === r.length, 'regions must be unique')
      .refine((r) => !r.includes(REST_OF_COUNTRY) || r.length === 1, `"${REST_OF_COUNTRY}" (everywhere else) stands alone in its rule`)
      .openapi({
        description: `province names (e.g. 广东省), or ["${REST_OF_COUNTRY}"] for every other province`,
        example: ['新疆维吾尔自治区', '西藏自治区'],
      }),
    firstWeightG: grams().openapi({ description: 'grams covered by firstFee', example: 1000 }),
    firstFee: fen(),
    additionalWeightG: grams().openapi({
      description: 'each further step of this many grams (started steps count) costs additionalFee',
      example: 1000,
    }),
    additionalFee: fen(),
  })
  .openapi('FreightRule');

/** One "*" rule; no province in two rules; no province both excluded and priced. */
function checkRules(t: { rules?: z.output<typeof FreightRuleSchema>[]; excludedRegions?: string[] }, ctx: z.core.$RefinementCtx): void {
  if (t.rules) {
    const rest = t.rules.filter((r) => r.regions.includes(REST_OF_COUNTRY)).length;
    if (rest !== 1)
      ctx.addIssue({
        code: 'custom',
        path: ['rules'],
        message: `exactly one rule must have regions ["${REST_OF_COUNTRY}"] (everywhere else); found ${rest}`,
      });
    const seen = new Map<string, number>();
    t.rules.forEach((r, i) =>
      r.regions.forEach((p, j) => {
        if (p === REST_OF_COUNTRY) return;
        if (seen.has(p))
          ctx.addIssue({ code: 'custom', path: ['rules', i, 'regions', j], message: `${p} is already priced by rule ${seen.get(p)}` });
        else seen.set(p, i);
      }),
    );
    t.excludedRegions?.forEach((p, j) => {
      if (seen.has(p))
        ctx.addIssue({ code: 'custom', path: ['excludedRegions', j], message: `${p} is both excluded and priced by rule ${seen.get(p)}` });
    });
  }
}

const excludedRegions = z
  .array(province)
  .max(40)
  .refine((r) => !r.includes(REST_OF_COUNTRY), `"${REST_OF_COUNTRY}" cannot be excluded`)
  .openapi({ description: 'provinces not delivered to', example: ['香港特别行政区'] });

export const CreateFreightTemplateInput = z
  .object({
    name: z.string().trim().min(1).max(40).openapi({ example: '全国包邮（偏远地区除外）' }),
    merchantId: z.string().min(4).max(40).optional().openapi({
      description: 'platform staff only: the merchant it belongs to (default: the platform). Merchant staff always create their own.',
    }),
    rules: z.array(FreightRuleSchema).min(1).max(40),
    freeThreshold: fen()
      .nullable()
      .default(null)
      .openapi({ description: 'goods total (fen) at or above which shipping is free; null = never free' }),
    excludedRegions: excludedRegions.default([]),
    isDefault: z
      .boolean()
      .default(false)
      .openapi({ description: "the merchant's template for quotes; setting it unsets the merchant's other default" }),
  })
  .superRefine(checkRules)
  .openapi('CreateFreightTemplateInput');

export const UpdateFreightTemplateInput = z
  .object({
    name: z.string().trim().min(1).max(40).optional(),
    rules: z.array(FreightRuleSchema).min(1).max(40).optional(),
    freeThreshold: fen().nullable().optional(),
    excludedRegions: excludedRegions.optional(),
    isDefault: z.boolean().optional(),
  })
  .superRefine(checkRules)
  .openapi('UpdateFreightTemplateInput');

/** Whole-template consistency, for an update merged onto the stored template. */
export const FreightTemplateShape = z.object({ rules: z.array(FreightRuleSchema).min(1).max(40), excludedRegions }).superRefine(checkRules);

export const FreightTemplateSchema = z
  .object({
    id: z.string(),
    merchantId: z.string(),
    name: z.string(),
    rules: z.array(FreightRuleSchema),
    freeThreshold: z.number().int().nullable(),
    excludedRegions: z.array(z.string()),
    isDefault: z.boolean(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .openapi('FreightTemplate');
export type FreightTemplateDto = z.infer<typeof FreightTemplateSchema>;

export const ListFreightTemplatesQuery = z.object({
  merchantId: z
    .string()
    .min(4)
    .max(40)
    .optional()
    .openapi({ description: 'platform staff: one merchant only. Merchant staff always see their own.' }),
});

/** The shipping line of a checkout quote. */
export const ShippingQuoteSchema = z
  .object({
    fee: z.number().int().openapi({ description: 'fen', example: 800 }),
    free: z.boolean(),
    templateId: z.string().nullable().openapi({ description: "null = the platform's built-in default" }),
    label: z.string().openapi({ example: '运费' }),
    reason: z.string().openapi({ example: '还差¥12.00包邮' }),
  })
  .openapi('ShippingQuote');
export type ShippingQuote = z.infer<typeof ShippingQuoteSchema>;

// ---------- shipments and tracking ----------

export const SHIPMENT_STATUSES = ['shipped', 'in_transit', 'delivered', 'exception'] as const;
export const TRACKING_STATUSES = ['picked_up', 'in_transit', 'out_for_delivery', 'delivered', 'exception'] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

export const CarrierSchema = z.object({ code: z.enum(CARRIER_CODES), name: z.string() }).openapi('Carrier');

export const TrackingEventSchema = z
  .object({
    at: isoTime,
    status: z.enum(TRACKING_STATUSES),
    description: z.string(),
    location: z.string().nullable(),
  })
  .openapi('TrackingEvent');

export const ShipmentSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    carrierCode: z.string(),
    carrierName: z.string(),
    trackingNo: z.string(),
    status: z.enum(SHIPMENT_STATUSES),
    shippedAt: isoTime,
    deliveredAt: isoTime.nullable(),
    events: z.array(TrackingEventSchema).openapi({ description: 'newest first' }),
  })
  .openapi('Shipment');
export type ShipmentDto = z.infer<typeof ShipmentSchema>;

/** Tracking numbers: letters, digits and dashes (SF1234567890123, 773012345678901, JDVA00012345678). */
export const TRACKING_NO = /^[A-Za-z0-9-]{6,40}$/;

export const TrackingWebhookInput = z
  .object({
    carrierCode: z.enum(CARRIER_CODES),
    trackingNo: z.string().trim().regex(TRACKING_NO, 'tracking numbers are 6–40 letters, digits or dashes'),
    events: z
      .array(
        z.object({
          at: z.iso.datetime({ offset: true }).openapi({ description: 'when it happened, ISO-8601', example: '2025-05-01T08:30:00+08:00' }),
          status: z.enum(TRACKING_STATUSES),
          description: z.string().trim().min(1).max(200).openapi({ example: '快件已由【深圳南山营业点】揽收' }),
          location: z.string().trim().min(1).max(100).optional(),
        }),
      )
      .min(1)
      .max(50),
  })
  .openapi('TrackingWebhookInput');
export type TrackingWebhookInput = z.infer<typeof TrackingWebhookInput>;

export const TrackingWebhookResult = z
  .object({
    accepted: z.number().int().openapi({ description: 'events newly recorded' }),
    duplicates: z.number().int().openapi({ description: 'events already known (ignored)' }),
  })
  .openapi('TrackingWebhookResult');
