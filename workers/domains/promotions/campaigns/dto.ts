import { z } from '@hono/zod-openapi';
import { fen } from '../../../shared/money';
import { pageQuery } from '../../../shared/pagination';
import { SCHEDULE_STATES } from '../../../shared/schedule';
import { isoInput } from '../promotion-rules/dto';
import { StackingPolicySchema } from '../stacking';
import { SegmentSchema } from './segments';

const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });
const idRef = z.string().min(4).max(40);
const idList = (what: string) =>
  z
    .array(idRef)
    .max(50)
    .refine((ids) => new Set(ids).size === ids.length, 'ids must not repeat')
    .optional()
    .openapi({ description: `${what} to link to the campaign (each must exist and not belong to another campaign)` });

/** An https URL or a path on this site (media is served from /media/…). */
const imageUrl = z
  .string()
  .max(500)
  .refine((s) => /^https:\/\/[^\s]+$/.test(s) || /^\/media\/[^\s]+$/.test(s), 'must be an https URL or a /media/… path')
  .openapi({ example: '/media/banners/1111.jpg' });
const link = z
  .string()
  .min(1)
  .max(500)
  .refine((s) => /^https:\/\/[^\s]+$/.test(s) || /^\/[^\s]*$/.test(s), 'must be a storefront path (/…) or an https URL')
  .openapi({ example: '/pages/campaign/1111' });

export const CampaignBannerSchema = z.object({ imageUrl, title: z.string().trim().min(1).max(60), link }).openapi('CampaignBanner');

const windowOk = (v: { startsAt: string; endsAt: string }) => Date.parse(v.endsAt) > Date.parse(v.startsAt);

export const CreateCampaignInput = z
  .object({
    name: z.string().trim().min(1).max(60),
    description: z.string().max(500).default(''),
    startsAt: isoInput,
    endsAt: isoInput,
    segment: SegmentSchema.default({ kind: 'all' }).openapi({ description: 'who sees the campaign on the home page (default everyone)' }),
    budget: fen().openapi({
      description: 'fen the campaign may spend on discounts, coupons and prizes; spending stops when it is used up',
    }),
    banners: z.array(CampaignBannerSchema).max(10).default([]),
    popup: CampaignBannerSchema.optional().openapi({ description: 'shown once on the storefront home' }),
    priority: z
      .number()
      .int()
      .min(-1000)
      .max(1000)
      .default(0)
      .openapi({ description: 'higher wins when several campaigns are live for a shopper' }),
    ruleIds: idList('price rules (满减/满折/限时折扣)'),
    couponTemplateIds: idList('coupon templates'),
    lotteryIds: idList('lotteries'),
    flashSaleIds: idList('flash sales'),
  })
  .refine(windowOk, { path: ['endsAt'], message: 'must be after startsAt' })
  .openapi('CreateCampaignInput');
export type CreateCampaignInput = z.infer<typeof CreateCampaignInput>;

export const UpdateCampaignInput = z
  .strictObject({
    status: z.enum(['active', 'disabled']).optional(),
    endsAt: isoInput.optional().openapi({ description: 'move the end earlier or later (not into the past)' }),
    banners: z.array(CampaignBannerSchema).max(10).optional(),
    popup: CampaignBannerSchema.nullable().optional().openapi({ description: 'null removes it' }),
    budget: fen().optional().openapi({ description: 'raise only: at least the current budget' }),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'nothing to change' })
  .openapi('UpdateCampaignInput', {
    description: 'Schedule end, status, banners, popup and budget (raise only) change; segment and links are fixed.',
  });
export type UpdateCampaignInput = z.infer<typeof UpdateCampaignInput>;

export const ListCampaignsQuery = z.object({
  status: z.enum(['active', 'disabled']).optional(),
  state: z
    .enum(SCHEDULE_STATES)
    .optional()
    .openapi({ description: 'upcoming | live | ended (active campaigns by their window) | disabled' }),
  ...pageQuery,
});
export type ListCampaignsQuery = z.infer<typeof ListCampaignsQuery>;

export const CampaignSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    startsAt: isoTime,
    endsAt: isoTime,
    segment: SegmentSchema,
    budget: z.number().int(),
    budgetUsed: z.number().int(),
    budgetRemaining: z.number().int(),
    banners: z.array(CampaignBannerSchema),
    popup: CampaignBannerSchema.nullable(),
    flashSaleIds: z.array(z.string()),
    priority: z.number().int(),
    status: z.enum(['active', 'disabled']),
    state: z.enum(SCHEDULE_STATES),
    createdBy: z.string(),
    createdAt: isoTime,
  })
  .openapi('Campaign');
export type CampaignDto = z.infer<typeof CampaignSchema>;

export const CampaignDetailSchema = CampaignSchema.extend({
  rules: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      name: z.string(),
      label: z.string(),
      status: z.string(),
      state: z.enum(SCHEDULE_STATES),
      startsAt: isoTime,
      endsAt: isoTime,
    }),
  ),
  couponTemplates: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      kind: z.string(),
      status: z.string(),
      issuedCount: z.number().int(),
      totalQuantity: z.number().int(),
      claimStartsAt: isoTime,
      claimEndsAt: isoTime,
    }),
  ),
  lotteries: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: z.string(),
      startsAt: isoTime,
      endsAt: isoTime,
      budget: z.number().int(),
      budgetUsed: z.number().int(),
    }),
  ),
  flashSales: z.array(
    z.object({
      id: z.string(),
      skuId: z.string(),
      productId: z.string(),
      salePrice: z.number().int(),
      allocated: z.number().int(),
      status: z.string(),
      startsAt: isoTime,
      endsAt: isoTime,
    }),
  ),
}).openapi('CampaignDetail');
export type CampaignDetailDto = z.infer<typeof CampaignDetailSchema>;

export const HomeCampaignSchema = z
  .object({
    serverTime: isoTime,
    campaign: z
      .object({
        id: z.string(),
        name: z.string(),
        description: z.string(),
        startsAt: isoTime,
        endsAt: isoTime,
        banners: z.array(CampaignBannerSchema),
        popup: CampaignBannerSchema.nullable(),
        couponTemplateIds: z.array(z.string()).openapi({ description: 'templates the shopper can claim now (claimCoupon)' }),
        lotteryIds: z.array(z.string()).openapi({ description: 'lotteries open now (drawLottery)' }),
        flashSaleIds: z.array(z.string()).openapi({ description: 'flash sales live or upcoming' }),
      })
      .nullable()
      .openapi({ description: 'the highest-priority live campaign for this shopper; null when none' }),
  })
  .openapi('HomeCampaign');
export type HomeCampaignDto = z.infer<typeof HomeCampaignSchema>;

export const StorefrontStackingPolicySchema = z
  .object({
    policy: StackingPolicySchema,
    explanation: z.array(z.string()).openapi({ description: 'the policy in plain words, in the order discounts are applied' }),
  })
  .openapi('StorefrontStackingPolicy');
