import { z } from '@hono/zod-openapi';
import { fen } from '../../../shared/money';
import { pageQuery } from '../../../shared/pagination';
import { PLATFORM_MERCHANT_ID } from '../../../shared/rbac';
import { SegmentSchema } from '../campaigns/segments';
import { COUPON_CHANNELS, COUPON_KINDS } from '../schema';

const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });
const isoInput = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time, e.g. 2026-11-11T00:00:00+08:00' });
const id = z.string().min(4).max(40);
const positiveFen = () => fen().refine((v) => v > 0, 'must be more than 0 fen');

export const CouponKind = z
  .enum(COUPON_KINDS)
  .openapi({ description: 'amount_off 满减券/无门槛券 · percent_off 折扣券 · free_shipping 运费券' });
export const CouponChannel = z.enum(COUPON_CHANNELS).openapi({
  description:
    'how shoppers get it: storefront 领券中心 · code 兑换码 · campaign 活动页 · segment 定向发放 · new_user_pack 新人礼包 · lottery 抽奖 · task 任务奖励 · points_mall 积分商城 · referral 邀请有礼 · member_perk 会员权益 (e.g. the tier birthday gift)',
});

const scopeIds = z.array(z.string().min(4).max(40)).min(1, 'give at least one id').max(100, 'at most 100 ids');
export const CouponScopeSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('all') }),
    z.object({ type: z.literal('categories'), ids: scopeIds }),
    z.object({ type: z.literal('products'), ids: scopeIds }),
    z.object({ type: z.literal('skus'), ids: scopeIds }),
  ])
  .openapi('CouponScope', { description: "what it covers, within its owner's goods (a platform coupon: every merchant's)" });

/**
 * createCouponTemplate body. Field combinations are checked here so the console gets one field
 * path per mistake; checks against the clock and other rows (window in the past, merchant and
 * campaign exist, code taken) are the service's.
 */
export const CreateCouponTemplateInput = z
  .object({
    name: z.string().trim().min(1).max(60).openapi({ example: '双十一 满199减30' }),
    merchantId: id
      .default(PLATFORM_MERCHANT_ID)
      .openapi({ description: `${PLATFORM_MERCHANT_ID} (default) = platform coupon 平台券; a merchant id = that shop's coupon 店铺券` }),
    kind: CouponKind,
    threshold: fen().default(0).openapi({ description: 'fen to spend in scope (after 满减) before it applies; 0 = 无门槛' }),
    amountOff: positiveFen()
      .optional()
      .openapi({ description: 'amount_off: fen off (required). free_shipping: most shipping fen waived (omit: all of it)' }),
    rate: z
      .number()
      .int()
      .min(1, 'rate is the percent paid: 1–99')
      .max(99, 'rate is the percent paid: 1–99')
      .optional()
      .openapi({ description: 'percent_off: percent paid, 85 = 8.5折 (required)' }),
    maxOff: positiveFen().optional().openapi({ description: 'percent_off: most fen off (omit: no cap)' }),
    scope: CouponScopeSchema.default({ type: 'all' }),
    validFrom: isoInput.optional().openapi({ description: 'fixed validity: give validFrom and validTo…' }),
    validTo: isoInput.optional(),
    validDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .optional()
      .openapi({ description: '…or valid this many days from when each coupon is received' }),
    claimStartsAt: isoInput.optional().openapi({ description: 'default: now' }),
    claimEndsAt: isoInput.optional().openapi({ description: 'default: validTo, or 30 days from now with validDays' }),
    totalQuantity: z.number().int().min(1).max(10_000_000),
    perUserLimit: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(1)
      .openapi({ description: 'most coupons of this template one shopper may claim' }),
    channels: z
      .array(CouponChannel)
      .min(1, 'give at least one channel')
      .max(COUPON_CHANNELS.length)
      .refine((c) => new Set(c).size === c.length, 'channels must not repeat'),
    code: z
      .string()
      .regex(/^[A-Za-z0-9]{4,32}$/, 'code is 4–32 letters or digits')
      .transform((s) => s.toUpperCase())
      .optional()
      .openapi({ description: "redemption code 兑换码 for the 'code' channel; case-insensitive, stored upper-case" }),
    packOrder: z.number().int().min(1).max(100).optional().openapi({ description: 'new_user_pack: tier order within the pack (1 first)' }),
    campaignId: id.optional().openapi({ description: "campaign whose budget each issued coupon's face value is charged to" }),
  })
  .superRefine((v, ctx) => {
    const bad = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (v.kind === 'amount_off') {
      if (v.amountOff === undefined) bad('amountOff', 'amount_off needs amountOff (fen off)');
      else if (v.threshold > 0 && v.amountOff >= v.threshold)
        bad('amountOff', 'must be less than threshold (a coupon worth its whole threshold gives goods away); use threshold 0 for 无门槛');
      if (v.rate !== undefined) bad('rate', 'only percent_off coupons have a rate');
      if (v.maxOff !== undefined) bad('maxOff', 'only percent_off coupons have maxOff');
    } else if (v.kind === 'percent_off') {
      if (v.rate === undefined) bad('rate', 'percent_off needs rate (percent paid, 85 = 8.5折)');
      if (v.amountOff !== undefined) bad('amountOff', 'percent_off coupons use rate and maxOff, not amountOff');
    } else {
      if (v.rate !== undefined) bad('rate', 'only percent_off coupons have a rate');
      if (v.maxOff !== undefined) bad('maxOff', 'free_shipping caps the waiver with amountOff, not maxOff');
    }
    const fixed = v.validFrom !== undefined || v.validTo !== undefined;
    if (fixed && v.validDays !== undefined) bad('validDays', 'give either validFrom and validTo, or validDays — not both');
    else if (!fixed && v.validDays === undefined) bad('validDays', 'give either validFrom and validTo, or validDays');
    else if (fixed && (v.validFrom === undefined || v.validTo === undefined))
      bad(v.validFrom === undefined ? 'validFrom' : 'validTo', 'validFrom and validTo go together');
    else if (fixed && Date.parse(v.validTo!) <= Date.parse(v.validFrom!)) bad('validTo', 'must be after validFrom');
    if (v.claimStartsAt && v.claimEndsAt && Date.parse(v.claimEndsAt) <= Date.parse(v.claimStartsAt))
      bad('claimEndsAt', 'must be after claimStartsAt');
    if (v.claimEndsAt && v.validTo && Date.parse(v.claimEndsAt) > Date.parse(v.validTo))
      bad('claimEndsAt', 'must not be after validTo (a coupon claimed then would already be expired)');
    const hasCode = v.channels.includes('code');
    if (hasCode && v.code === undefined) bad('code', "the 'code' channel needs a code");
    if (!hasCode && v.code !== undefined) bad('code', "a code needs the 'code' channel in channels");
    if (v.packOrder !== undefined && !v.channels.includes('new_user_pack')) bad('packOrder', "packOrder needs the 'new_user_pack' channel");
  })
  .openapi('CreateCouponTemplateInput');
export type CreateCouponTemplateInput = z.infer<typeof CreateCouponTemplateInput>;

export const UpdateCouponTemplateInput = z
  .strictObject(
    {
      status: z.enum(['active', 'disabled']).optional(),
      totalQuantity: z.number().int().min(1).max(10_000_000).optional().openapi({ description: 'may only go up' }),
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `only status and totalQuantity can change; the terms are fixed once created (${iss.keys.join(', ')})`
          : undefined,
    },
  )
  .refine((v) => v.status !== undefined || v.totalQuantity !== undefined, 'give status or totalQuantity')
  .openapi('UpdateCouponTemplateInput');
export type UpdateCouponTemplateInput = z.infer<typeof UpdateCouponTemplateInput>;

export const ListCouponTemplatesQuery = z.object({
  ...pageQuery,
  status: z.enum(['active', 'disabled']).optional(),
  channel: CouponChannel.optional(),
});
export type ListCouponTemplatesQuery = z.infer<typeof ListCouponTemplatesQuery>;

/** Terms shared by the admin template, the coupon centre and a held coupon. */
const termsShape = {
  name: z.string(),
  label: z.string().openapi({ example: '满199减30' }),
  kind: CouponKind,
  threshold: z.number().int(),
  amountOff: z.number().int().nullable(),
  rate: z.number().int().nullable(),
  maxOff: z.number().int().nullable(),
  scope: CouponScopeSchema,
  merchantId: z.string(),
  isPlatform: z.boolean().openapi({ description: 'platform coupon 平台券 (else a shop coupon 店铺券 of merchantId)' }),
};

export const CouponTemplateSchema = z
  .object({
    id: z.string(),
    ...termsShape,
    validFrom: isoTime.nullable(),
    validTo: isoTime.nullable(),
    validDays: z.number().int().nullable(),
    claimStartsAt: isoTime,
    claimEndsAt: isoTime,
    totalQuantity: z.number().int(),
    issuedCount: z.number().int(),
    usedCount: z.number().int(),
    remaining: z.number().int(),
    perUserLimit: z.number().int(),
    channels: z.array(CouponChannel),
    code: z.string().nullable(),
    packOrder: z.number().int().nullable(),
    campaignId: z.string().nullable(),
    status: z.enum(['active', 'disabled']),
    createdBy: z.string(),
    createdAt: isoTime,
  })
  .openapi('CouponTemplate');
export type CouponTemplateDto = z.infer<typeof CouponTemplateSchema>;

export const IssueCouponsInput = z
  .object({
    segment: SegmentSchema,
    batchId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{4,64}$/, 'batchId is 4–64 letters, digits, _ or -')
      .optional()
      .openapi({
        description:
          'repeat the same batchId to repeat the issue safely (each shopper gets one coupon per batch); default: a new one, returned',
      }),
    afterId: z
      .string()
      .min(4)
      .max(40)
      .optional()
      .openapi({ description: "continue after this shopper id: the previous response's `next`" }),
  })
  .openapi('IssueCouponsInput');
export type IssueCouponsInput = z.infer<typeof IssueCouponsInput>;

export const IssueCouponsResultSchema = z
  .object({
    batchId: z.string(),
    processed: z.number().int().openapi({ description: 'shoppers looked at in this request (at most 2,000)' }),
    issued: z.number().int(),
    skipped: z.object({
      already: z.number().int().openapi({ description: 'already got one from this batch' }),
      limit: z.number().int().openapi({ description: 'at the per-shopper limit' }),
      soldOut: z.number().int(),
      budget: z.number().int().openapi({ description: "the campaign's budget ran out" }),
      unknown: z.number().int().openapi({ description: 'no such (active) shopper' }),
    }),
    next: z.string().nullable().openapi({ description: 'send as afterId (same batchId) to continue; null when the segment is done' }),
  })
  .openapi('IssueCouponsResult');
export type IssueCouponsResult = z.infer<typeof IssueCouponsResultSchema>;

// ---------- storefront ----------

export const ClaimableCouponSchema = z
  .object({
    templateId: z.string(),
    ...termsShape,
    validFrom: isoTime.nullable(),
    validTo: isoTime.nullable(),
    validDays: z.number().int().nullable(),
    claimEndsAt: isoTime,
    perUserLimit: z.number().int(),
    remaining: z.number().int(),
    claimedByMe: z.number().int().nullable().openapi({ description: 'null when not signed in' }),
    canClaim: z.boolean().nullable().openapi({ description: 'null when not signed in' }),
  })
  .openapi('ClaimableCoupon');

export const ClaimableCouponListSchema = z
  .object({ serverTime: isoTime, items: z.array(ClaimableCouponSchema) })
  .openapi('ClaimableCouponList');

export const ClaimCouponInput = z
  .object({
    templateId: id.optional().openapi({ description: 'a coupon from the coupon centre…' }),
    code: z.string().trim().min(4).max(32).optional().openapi({ description: '…or a redemption code 兑换码 (case-insensitive)' }),
  })
  .refine((v) => (v.templateId === undefined) !== (v.code === undefined), {
    path: ['templateId'],
    message: 'give either templateId or code',
  })
  .openapi('ClaimCouponInput');
export type ClaimCouponInput = z.infer<typeof ClaimCouponInput>;

export const UserCouponStatus = z.enum(['available', 'used', 'expired']);

export const UserCouponSchema = z
  .object({
    id: z.string(),
    templateId: z.string(),
    ...termsShape,
    validFrom: isoTime,
    validTo: isoTime,
    status: UserCouponStatus.openapi({ description: "computed: an unused coupon whose validTo has passed is 'expired'" }),
    channel: CouponChannel,
    usedAt: isoTime.nullable(),
    orderId: z.string().nullable(),
    createdAt: isoTime,
  })
  .openapi('UserCoupon');
export type UserCouponDto = z.infer<typeof UserCouponSchema>;

export const ListMyCouponsQuery = z.object({
  ...pageQuery,
  status: UserCouponStatus.default('available').openapi({
    description: 'available (default, expiring soonest first) · used (latest first) · expired (latest first)',
  }),
});
export type ListMyCouponsQuery = z.infer<typeof ListMyCouponsQuery>;

export const NewUserPackSchema = z
  .object({
    eligible: z.boolean().nullable().openapi({ description: 'registered within the last 7 days; null when not signed in' }),
    tiers: z.array(
      z.object({
        templateId: z.string(),
        packOrder: z.number().int().nullable(),
        ...termsShape,
        validFrom: isoTime.nullable(),
        validTo: isoTime.nullable(),
        validDays: z.number().int().nullable(),
        held: z.boolean().nullable().openapi({ description: 'the shopper received this tier; null when not signed in' }),
        couponId: z.string().nullable(),
      }),
    ),
  })
  .openapi('NewUserPack');
export type NewUserPackDto = z.infer<typeof NewUserPackSchema>;
