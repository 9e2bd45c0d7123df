import { z } from '@hono/zod-openapi';
import { BIRTHDAY_GIFT_KINDS, TIER_CHANGE_REASONS, TIER_ICONS } from './schema';

const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });
const fen = z.number().int();

export const TierIconSchema = z
  .object({
    name: z
      .enum(TIER_ICONS)
      .openapi({ description: 'preset icon the client draws: leaf 叶 · star 星 · medal 奖章 · crown 皇冠 · diamond 钻石 · gem 宝石' }),
    color: z.string().openapi({ example: '#d4a017' }),
    url: z.string().nullable().openapi({ description: 'an uploaded icon, drawn instead of the preset when set' }),
  })
  .openapi('TierIcon');

export const BirthdayGiftSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('none') }),
    z.object({ kind: z.literal('coupon'), couponTemplateId: z.string().min(4).max(40) }),
    z.object({ kind: z.literal('points'), points: z.number().int().min(1).max(1_000_000) }),
  ])
  .openapi('TierBirthdayGift', { description: 'granted once a year on the shopper’s birthday (Beijing date) by the cron' });

export const TierPerksSchema = z
  .object({
    memberPrice: z.boolean().openapi({ description: '享会员价: SKUs with a member price sell at it' }),
    discountRate: z
      .number()
      .int()
      .min(50)
      .max(99)
      .nullable()
      .openapi({ description: '会员折扣: pay this % of the price (98 = 9.8折); with a member price the better one applies; null = none' }),
    freeShippingThreshold: fen.min(0).max(100_000_000).nullable().openapi({
      description: '会员包邮: a parcel whose goods (after promotions) reach this many fen ships free; 0 = always; null = none',
    }),
    pointsMultiplier: z.number().int().min(100).max(1000).openapi({ description: 'order points × this / 100 (150 = 1.5倍积分)' }),
    birthdayGift: BirthdayGiftSchema,
    supportPriority: z.number().int().min(0).max(10).openapi({ description: '客服优先级: 0 normal; higher is served first' }),
  })
  .openapi('TierPerks');
export type TierPerks = z.infer<typeof TierPerksSchema>;

export const PerkLineSchema = z
  .object({
    key: z.enum(['member_price', 'discount', 'free_shipping', 'points', 'birthday', 'support']),
    title: z.string().openapi({ example: '9.8折' }),
    description: z.string().openapi({ example: '全场商品9.8折（与会员价取更优）' }),
  })
  .openapi('TierPerkLine');

export const MemberTierSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    rank: z.number().int(),
    threshold: z.number().int().openapi({ description: 'growth value (成长值) that reaches this tier' }),
    icon: TierIconSchema,
    perks: TierPerksSchema,
    perkLines: z.array(PerkLineSchema).openapi({ description: 'the perks in words, Chinese' }),
    status: z.enum(['active', 'disabled']),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .openapi('MemberTier');
export type MemberTierDto = z.infer<typeof MemberTierSchema>;

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #d4a017');
const mediaKey = z.string().regex(/^img\/\d{6}\/med_[0-9a-z]{16}\.(?:jpg|png|webp|gif)$/, 'an uploaded media key');

const perksInput = TierPerksSchema.partial();

export const CreateMemberTierInput = z
  .object({
    name: z.string().trim().min(1).max(20).openapi({ example: '金卡会员' }),
    rank: z.number().int().min(0).max(99).openapi({ description: 'order of tiers: higher is better; unique among active tiers' }),
    threshold: z.number().int().min(0).max(100_000_000).openapi({ description: 'growth value that reaches it; the lowest tier must be 0' }),
    iconName: z.enum(TIER_ICONS).default('star'),
    iconColor: color.default('#999999'),
    iconMediaKey: mediaKey.nullable().optional(),
    perks: perksInput.default({}),
  })
  .openapi('CreateMemberTierInput');
export type CreateMemberTierInput = z.infer<typeof CreateMemberTierInput>;

export const UpdateMemberTierInput = z
  .object({
    name: z.string().trim().min(1).max(20).optional(),
    rank: z.number().int().min(0).max(99).optional(),
    threshold: z.number().int().min(0).max(100_000_000).optional(),
    iconName: z.enum(TIER_ICONS).optional(),
    iconColor: color.optional(),
    iconMediaKey: mediaKey.nullable().optional(),
    perks: perksInput.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'give at least one field to change')
  .openapi('UpdateMemberTierInput');
export type UpdateMemberTierInput = z.infer<typeof UpdateMemberTierInput>;

export const TierIdParam = z.object({ tierId: z.string().min(4).max(40) });
export const UserIdParam = z.object({ userId: z.string().min(4).max(40) });

export const ListMemberTiersQuery = z.object({
  status: z.enum(['active', 'disabled', 'all']).default('all').openapi({ description: 'which tiers (default all)' }),
});

export const MemberTierListSchema = z
  .object({ items: z.array(MemberTierSchema.extend({ memberCount: z.number().int().openapi({ description: 'shoppers in it now' }) })) })
  .openapi('MemberTierList');

export const GrowthSettingsSchema = z
  .object({
    growthPerYuan: z.number().int().min(0).max(100).openapi({ description: '成长值 per ¥1 of net paid (paid − refunded)' }),
    growthPerOrder: z.number().int().min(0).max(10_000).openapi({ description: '成长值 per completed order with something paid' }),
    pointsPerYuan: z.number().int().min(0).max(100).openapi({ description: '积分 per ¥1 of net paid, × the tier’s multiplier' }),
    reviewMonths: z
      .number()
      .int()
      .min(1)
      .max(36)
      .openapi({ description: '保级 period in months: a tier is reviewed this long after it was reached; growth counts over this window' }),
  })
  .openapi('MemberGrowthSettings');
export type GrowthSettings = z.infer<typeof GrowthSettingsSchema>;

export const GrowthSettingsViewSchema = GrowthSettingsSchema.extend({
  updatedAt: isoTime.nullable(),
  updatedBy: z.string().nullable(),
}).openapi('MemberGrowthSettingsView');

export const TierChangeSchema = z
  .object({
    id: z.string(),
    fromTier: z.object({ id: z.string(), name: z.string() }).nullable(),
    toTier: z.object({ id: z.string(), name: z.string() }),
    reason: z.enum(TIER_CHANGE_REASONS),
    reasonText: z.string().openapi({ example: '成长值达到金卡会员' }),
    growth: z.number().int().openapi({ description: 'the growth value the decision was made on' }),
    note: z.string().nullable(),
    createdAt: isoTime,
  })
  .openapi('TierChange');
export type TierChangeDto = z.infer<typeof TierChangeSchema>;

const TierBrief = z
  .object({ id: z.string(), name: z.string(), rank: z.number().int(), threshold: z.number().int(), icon: TierIconSchema })
  .openapi('TierBrief');

export const MembershipSchema = z
  .object({
    tier: TierBrief.nullable().openapi({ description: 'null only while the shop has no tiers' }),
    growth: z.number().int().openapi({ description: '成长值 counted for the tier: earned over the last reviewMonths' }),
    totalGrowth: z.number().int().openapi({ description: 'all growth ever earned' }),
    growthWindowMonths: z.number().int(),
    nextTier: TierBrief.nullable(),
    growthToNext: z.number().int().nullable().openapi({ description: 'growth still needed for nextTier' }),
    perks: z.array(PerkLineSchema).openapi({ description: 'what the current tier gives, in Chinese' }),
    points: z.number().int().openapi({ description: 'points balance (积分)' }),
    balance: fen.openapi({ description: 'stored balance (余额), fen' }),
    tierSince: isoTime.nullable(),
    reviewAt: isoTime.nullable().openapi({ description: '保级 review: the tier is re-checked then (null: the lowest tier has none)' }),
    tiers: z.array(TierBrief.extend({ perks: z.array(PerkLineSchema) })).openapi({ description: 'every active tier, lowest first' }),
    recentChanges: z.array(TierChangeSchema).openapi({ description: 'latest tier changes, newest first' }),
  })
  .openapi('Membership');
export type MembershipDto = z.infer<typeof MembershipSchema>;

export const GrowthEntrySchema = z
  .object({ id: z.string(), delta: z.number().int(), reason: z.string(), ref: z.string(), note: z.string().nullable(), createdAt: isoTime })
  .openapi('GrowthEntry');

export const BirthdayGiftRecordSchema = z
  .object({
    year: z.number().int(),
    kind: z.enum(['coupon', 'points']),
    couponId: z.string().nullable(),
    points: z.number().int().nullable(),
    status: z.enum(['granted', 'failed']),
    note: z.string().nullable(),
    createdAt: isoTime,
  })
  .openapi('BirthdayGiftRecord');

export const MemberDetailSchema = MembershipSchema.extend({
  user: z.object({
    id: z.string(),
    nickname: z.string(),
    phoneMasked: z.string().nullable(),
    birthday: z.string().nullable(),
    gender: z.enum(['male', 'female']).nullable(),
    createdAt: isoTime,
  }),
  supportPriority: z.number().int(),
  growthEntries: z.array(GrowthEntrySchema).openapi({ description: 'latest growth entries, newest first' }),
  birthdayGifts: z.array(BirthdayGiftRecordSchema),
}).openapi('MemberDetail');

export const SetMemberTierInput = z
  .object({
    tierId: z.string().min(4).max(40),
    reason: z.string().trim().min(1).max(200).openapi({ example: '大客户定级' }),
  })
  .openapi('SetMemberTierInput');

export const AdjustGrowthInput = z
  .object({
    delta: z
      .number()
      .int('growth is a whole number')
      .min(-10_000_000)
      .max(10_000_000)
      .refine((v) => v !== 0, 'must not be 0'),
    reason: z.string().trim().min(1).max(200).openapi({ example: '线下消费补录' }),
    ref: z
      .string()
      .regex(/^[\w.:-]{1,100}$/, 'ref is 1–100 letters, digits or ._:-')
      .optional()
      .openapi({ description: 'idempotency: the same ref adjusts once; a repeat answers 200 with replayed: true' }),
  })
  .openapi('AdjustGrowthInput');
export type AdjustGrowthInput = z.infer<typeof AdjustGrowthInput>;

export const GrowthAdjustmentSchema = z
  .object({
    growth: z.number().int(),
    tier: TierBrief.nullable(),
    replayed: z.boolean(),
  })
  .openapi('GrowthAdjustment');

export const MemberSearchSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        nickname: z.string(),
        phoneMasked: z.string().nullable(),
        tierName: z.string().nullable(),
        growth: z.number().int(),
        createdAt: isoTime,
      }),
    ),
  })
  .openapi('MemberSearchResult');

export { BIRTHDAY_GIFT_KINDS };
