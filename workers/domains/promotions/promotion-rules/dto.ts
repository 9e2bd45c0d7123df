import { z } from '@hono/zod-openapi';
import { fen } from '../../../shared/money';
import { pageQuery } from '../../../shared/pagination';
import { SCHEDULE_STATES } from '../../../shared/schedule';

const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });
export const isoInput = z.iso.datetime({ offset: true }).openapi({ description: 'ISO-8601, e.g. 2026-11-11T00:00:00+08:00' });
const idRef = z.string().min(4).max(40);

/** What a rule or coupon covers (within its merchant's goods; the platform merchant covers all merchants). */
export const PromoScopeSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('all') }),
    z.object({ type: z.literal('categories'), ids: z.array(idRef).min(1).max(100) }),
    z.object({ type: z.literal('products'), ids: z.array(idRef).min(1).max(100) }),
    z.object({ type: z.literal('skus'), ids: z.array(idRef).min(1).max(100) }),
  ])
  .refine((s) => s.type === 'all' || new Set(s.ids).size === s.ids.length, { path: ['ids'], message: 'ids must not repeat' })
  .openapi('PromoScope');

const basis = z
  .enum(['amount', 'quantity'])
  .default('amount')
  .openapi({ description: "whether thresholds count fen ('amount', the default) or units ('quantity')" });
/** fen when basis = amount, units when basis = quantity */
const threshold = z.number().int().min(1).max(1_000_000_000_00).openapi({ description: 'fen (basis amount) or units (basis quantity)' });
const rate = z.number().int().min(1).max(99).openapi({ description: 'pay rate in percent: 90 = 9折, 88 = 8.8折' });

const common = {
  name: z.string().trim().min(1).max(60).openapi({ description: 'internal name' }),
  label: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .optional()
    .openapi({ description: 'shown to shoppers on the quote and receipt; default generated from the terms, e.g. "满199减30/满299减60"' }),
  merchantId: idRef.optional().openapi({ description: "owner; default the platform (a platform rule covers every merchant's goods)" }),
  scope: PromoScopeSchema,
  priority: z
    .number()
    .int()
    .min(-1000)
    .max(1000)
    .default(0)
    .openapi({ description: 'higher first when two rules could take the same line' }),
  campaignId: idRef.optional().openapi({
    description: 'the campaign whose budget this rule spends; the rule only applies while that campaign is live with budget left',
  }),
  startsAt: isoInput,
  endsAt: isoInput,
};

type Ctx = z.core.$RefinementCtx;
const windowCheck = (v: { startsAt: string; endsAt: string }, c: Ctx) => {
  if (Date.parse(v.endsAt) <= Date.parse(v.startsAt)) c.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
};
const increasing = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]!);
const decreasing = (xs: number[]) => xs.every((x, i) => i === 0 || x < xs[i - 1]!);

const FullReductionInput = z
  .object({
    kind: z.literal('full_reduction').openapi({ description: '满减' }),
    ...common,
    basis,
    tiers: z
      .array(z.object({ threshold, off: fen().min(1).openapi({ description: 'fen off when the threshold is reached' }) }))
      .min(1)
      .max(5)
      .openapi({
        description: '1–5 tiers, thresholds and amounts off both strictly increasing (满199减30, 满299减60); with repeat exactly one',
      }),
    repeat: z.boolean().default(false).openapi({ description: '每满 threshold 减 off, repeated (needs exactly one tier)' }),
    cap: fen().min(1).optional().openapi({ description: 'repeat only: most fen off in all (每满100减10 最高减50)' }),
  })
  .superRefine((v, c) => {
    windowCheck(v, c);
    if (v.repeat && v.tiers.length !== 1)
      c.addIssue({ code: 'custom', path: ['tiers'], message: 'a repeating rule (每满X减Y) has exactly one tier' });
    if (!v.repeat && v.cap !== undefined) c.addIssue({ code: 'custom', path: ['cap'], message: 'cap only applies to a repeating rule' });
    if (v.repeat && v.cap !== undefined && v.cap < v.tiers[0]!.off)
      c.addIssue({ code: 'custom', path: ['cap'], message: 'cap must be at least the amount off of one repeat' });
    if (!increasing(v.tiers.map((t) => t.threshold)))
      c.addIssue({ code: 'custom', path: ['tiers'], message: 'thresholds must be strictly increasing' });
    if (!increasing(v.tiers.map((t) => t.off)))
      c.addIssue({ code: 'custom', path: ['tiers'], message: 'amounts off must be strictly increasing' });
    if (v.basis === 'amount')
      v.tiers.forEach((t, i) => {
        // 满5减5 would make the goods free
        if (t.off >= t.threshold) c.addIssue({ code: 'custom', path: ['tiers', i, 'off'], message: 'off must be less than the threshold' });
      });
  })
  .openapi('FullReductionRuleInput');

const FullDiscountInput = z
  .object({
    kind: z.literal('full_discount').openapi({ description: '满折' }),
    ...common,
    basis,
    tiers: z
      .array(z.object({ threshold, rate }))
      .min(1)
      .max(5)
      .openapi({ description: '1–5 tiers, thresholds strictly increasing and rates strictly decreasing (满2件9折, 满3件8折)' }),
  })
  .superRefine((v, c) => {
    windowCheck(v, c);
    if (!increasing(v.tiers.map((t) => t.threshold)))
      c.addIssue({ code: 'custom', path: ['tiers'], message: 'thresholds must be strictly increasing' });
    if (!decreasing(v.tiers.map((t) => t.rate)))
      c.addIssue({ code: 'custom', path: ['tiers'], message: 'rates must be strictly decreasing (a deeper discount for more)' });
  })
  .openapi('FullDiscountRuleInput');

const LimitedTimeInput = z
  .object({
    kind: z.literal('limited_time').openapi({ description: '限时折扣' }),
    ...common,
    rate: rate.optional().openapi({ description: 'pay rate percent for every SKU in scope' }),
    prices: z
      .record(z.string().regex(/^sku_[0-9a-z]{4,32}$/, 'keys must be sku_ ids'), fen().min(1))
      .optional()
      .openapi({
        description:
          'fixed price (fen) per SKU id; a SKU listed here ignores `rate`. Each SKU must be in scope and priced below its list price.',
      }),
  })
  .superRefine((v, c) => {
    windowCheck(v, c);
    if (v.scope.type === 'all')
      c.addIssue({ code: 'custom', path: ['scope', 'type'], message: 'a 限时折扣 covers categories, products or skus, not everything' });
    const n = v.prices ? Object.keys(v.prices).length : 0;
    if (v.rate === undefined && n === 0) c.addIssue({ code: 'custom', path: ['rate'], message: 'give a rate, prices, or both' });
    if (n > 100) c.addIssue({ code: 'custom', path: ['prices'], message: 'at most 100 SKU prices' });
  })
  .openapi('LimitedTimeRuleInput');

export const CreatePromotionRuleInput = z
  .discriminatedUnion('kind', [FullReductionInput, FullDiscountInput, LimitedTimeInput])
  .openapi('CreatePromotionRuleInput');
export type CreatePromotionRuleInput = z.infer<typeof CreatePromotionRuleInput>;

export const UpdatePromotionRuleInput = z
  .strictObject({
    status: z.enum(['active', 'disabled']).optional(),
    endsAt: isoInput.optional().openapi({ description: 'move the end earlier or later (not into the past)' }),
  })
  .refine((v) => v.status !== undefined || v.endsAt !== undefined, { message: 'give status or endsAt' })
  .openapi('UpdatePromotionRuleInput', {
    description: 'Only status and endsAt change; the terms are immutable (orders point at them): create a new rule instead.',
  });
export type UpdatePromotionRuleInput = z.infer<typeof UpdatePromotionRuleInput>;

export const ListPromotionRulesQuery = z.object({
  kind: z.enum(['full_reduction', 'full_discount', 'limited_time']).optional(),
  status: z.enum(['active', 'disabled']).optional(),
  state: z.enum(SCHEDULE_STATES).optional().openapi({ description: 'upcoming | live | ended (active rules by their window) | disabled' }),
  campaignId: idRef.optional(),
  ...pageQuery,
});
export type ListPromotionRulesQuery = z.infer<typeof ListPromotionRulesQuery>;

export const PromotionRuleSchema = z
  .object({
    id: z.string(),
    merchantId: z.string(),
    kind: z.enum(['full_reduction', 'full_discount', 'limited_time']),
    name: z.string(),
    label: z.string(),
    scope: PromoScopeSchema,
    basis: z.enum(['amount', 'quantity']),
    tiers: z.array(z.object({ threshold: z.number().int(), off: z.number().int().optional(), rate: z.number().int().optional() })),
    repeat: z.boolean(),
    cap: z.number().int().nullable(),
    rate: z.number().int().nullable(),
    prices: z.record(z.string(), z.number().int()).nullable(),
    priority: z.number().int(),
    campaignId: z.string().nullable(),
    startsAt: isoTime,
    endsAt: isoTime,
    status: z.enum(['active', 'disabled']),
    state: z.enum(SCHEDULE_STATES),
    createdBy: z.string(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .openapi('PromotionRule');
export type PromotionRuleDto = z.infer<typeof PromotionRuleSchema>;
