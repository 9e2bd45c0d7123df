import { z } from '@hono/zod-openapi';
import { shanghaiDateStart } from '../../../shared/calendar';
import { REFERRAL_INVALID_REASONS } from './schema';

const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });
const templateId = z.string().regex(/^[\w-]{4,40}$/, 'a coupon template id');

/** An invite code as typed or scanned: trimmed and upper-cased before it is looked up. */
export const InviteCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[2-9A-HJKMNP-TV-Z]{8}$/, 'an invite code is 8 letters or digits')
  .openapi({ description: '邀请码 (8 characters, no 0/O/1/I/L)', example: 'K7Q2MX9D' });

/** A client-made install id: the mini-program and H5 store a random one and send it on every sign-in. */
export const DeviceId = z
  .string()
  .trim()
  .regex(/^[\w.:-]{8,128}$/, 'a device id is 8–128 letters, digits or ._:-')
  .openapi({ description: "the client's install id (random, kept in local storage); used only to spot two accounts on one device" });

export const RewardInput = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('none') }),
    z.object({
      type: z.literal('points'),
      points: z.number().int().min(0).max(1_000_000).openapi({ description: 'fixed points', example: 200 }),
      perYuan: z
        .number()
        .int()
        .min(0)
        .max(100)
        .default(0)
        .openapi({ description: "extra points per whole yuan the first order kept: the shop's base earn rate here = 首单积分翻倍" }),
    }),
    z.object({
      type: z.literal('coupon'),
      couponTemplateId: templateId.openapi({ description: "a template whose channels include 'referral'" }),
    }),
    z.object({
      type: z.literal('cash'),
      amount: z.number().int().min(1).max(100_000).openapi({ description: 'fen credited to the stored balance (余额)', example: 500 }),
    }),
  ])
  .refine((r) => r.type !== 'points' || r.points > 0 || r.perYuan > 0, 'a points reward needs points or perYuan above 0')
  .openapi('ReferralRewardInput');

export const ReferralSettingsInput = z
  .object({
    enabled: z.boolean(),
    inviterReward: RewardInput.openapi({ description: '邀请人奖励 (the one who shares)' }),
    inviteeReward: RewardInput.openapi({ description: '新人奖励 (the invited friend)' }),
    dailyCap: z.number().int().min(1).max(1000).openapi({ description: 'most rewarded invites per inviter per Beijing day', example: 10 }),
    minOrderAmount: z
      .number()
      .int()
      .min(0)
      .max(10_000_000)
      .default(0)
      .openapi({ description: 'fen the first order must keep (after refunds)' }),
    shareTitle: z
      .string()
      .trim()
      .min(2)
      .max(60)
      .openapi({ description: 'share card title; {nickname} and {reward} are filled in', example: '{nickname}送你{reward}，快来一起逛' }),
    shareImageUrl: z.string().url().max(500).nullable().default(null),
    extraRules: z.string().trim().max(1000).default(''),
  })
  .openapi('ReferralSettingsInput');
export type ReferralSettingsInput = z.output<typeof ReferralSettingsInput>;

const RewardView = z
  .object({
    type: z.enum(['none', 'points', 'coupon', 'cash']),
    points: z.number().int().nullable(),
    perYuan: z.number().int().nullable(),
    couponTemplateId: z.string().nullable(),
    amount: z.number().int().nullable().openapi({ description: 'cash: fen' }),
    label: z.string().openapi({ example: '200积分' }),
  })
  .openapi('ReferralRewardView');
export type RewardViewDto = z.infer<typeof RewardView>;

export const ReferralSettingsSchema = z
  .object({
    enabled: z.boolean(),
    inviterReward: RewardView,
    inviteeReward: RewardView,
    dailyCap: z.number().int(),
    minOrderAmount: z.number().int(),
    shareTitle: z.string(),
    shareImageUrl: z.string().nullable(),
    extraRules: z.string(),
    bindWindowHours: z
      .number()
      .int()
      .openapi({ description: 'how long after registering a shopper may still enter a code (bindReferral)' }),
    updatedAt: isoTime.nullable(),
  })
  .openapi('ReferralSettings');
export type ReferralSettingsDto = z.infer<typeof ReferralSettingsSchema>;

export const ReferralStatus = z.enum(['registered', 'ordered', 'rewarded', 'invalid']).openapi({
  description: 'registered 已注册 · ordered 已下单 (an order placed, not final yet) · rewarded 已奖励 · invalid 无效 (see reason)',
});
export const ReferralInvalidReason = z.enum(REFERRAL_INVALID_REASONS).openapi({
  description:
    'same_phone 与邀请人手机号相同 · same_device 与邀请人使用同一设备 · same_address 与邀请人收货地址相同 · daily_cap 超出邀请人当日奖励上限 · refunded 订单退款，奖励已收回 · revoked 平台撤销',
});

const ShareSchema = z
  .object({
    title: z.string(),
    imageUrl: z.string().nullable().openapi({ description: "the operator's card image; null = the client draws the poster" }),
    path: z.string().openapi({
      description: 'mini-program page path with the code, for onShareAppMessage',
      example: '/member/invite/index?inviteCode=K7Q2MX9D',
    }),
    qrPage: z.string().openapi({ description: 'wxacode.getUnlimited `page` (no leading slash, no query)', example: 'member/invite/index' }),
    qrScene: z.string().max(32).openapi({ description: 'wxacode.getUnlimited `scene` (≤ 32 chars)', example: 'i=K7Q2MX9D' }),
    h5Path: z.string().openapi({ description: 'the H5 link path (prefix the site origin)' }),
  })
  .openapi('ReferralShare');

export const InvitedFriendSchema = z
  .object({
    id: z.string(),
    nickname: z.string().openapi({ description: 'masked, e.g. 张**' }),
    boundAt: isoTime,
    status: ReferralStatus,
    reason: ReferralInvalidReason.nullable(),
    reasonText: z.string().nullable(),
  })
  .openapi('InvitedFriend');

export const ReferralRewardSchema = z
  .object({
    id: z.string(),
    side: z.enum(['inviter', 'invitee']),
    kind: z.enum(['points', 'coupon', 'cash']),
    amount: z.number().int().openapi({ description: 'points, or fen (cash, a coupon face value)' }),
    label: z.string(),
    friend: z.string().nullable().openapi({ description: 'inviter side: the masked friend this came from' }),
    createdAt: isoTime,
    clawedBack: z.number().int(),
    shortfall: z.number().int().openapi({ description: 'what a clawback could not take back (already spent)' }),
  })
  .openapi('ReferralRewardEntry');

export const MyReferralSchema = z
  .object({
    enabled: z.boolean(),
    code: z.string(),
    share: ShareSchema,
    rules: z.array(z.string()).openapi({ description: '活动规则, one line each' }),
    inviterReward: RewardView,
    inviteeReward: RewardView,
    invitedBy: z.object({ nickname: z.string(), boundAt: isoTime }).nullable(),
    canBind: z.boolean().openapi({ description: 'true while this shopper may still enter a friend’s code (bindReferral)' }),
    friends: z.array(InvitedFriendSchema).openapi({ description: 'newest first, at most 100' }),
    rewards: z.array(ReferralRewardSchema).openapi({ description: 'what I got, newest first, at most 100' }),
    totals: z.object({
      invited: z.number().int(),
      ordered: z.number().int(),
      rewarded: z.number().int(),
      invalid: z.number().int(),
      points: z.number().int(),
      cash: z.number().int().openapi({ description: 'fen' }),
      coupons: z.number().int(),
    }),
  })
  .openapi('MyReferral');
export type MyReferralDto = z.infer<typeof MyReferralSchema>;

export const InviteCodeParam = z.object({ code: InviteCode });

export const InvitePreviewSchema = z
  .object({
    enabled: z.boolean(),
    inviter: z.string().openapi({ description: "the inviter's masked nickname" }),
    inviteeReward: RewardView,
    title: z.string(),
  })
  .openapi('InvitePreview');

export const BindReferralInput = z.object({ inviteCode: InviteCode, deviceId: DeviceId.optional() }).openapi('BindReferralInput');

export const BindReferralResultSchema = z
  .object({ inviter: z.string().openapi({ description: 'masked nickname' }), boundAt: isoTime })
  .openapi('BindReferralResult');

const day = z
  .string()
  .refine((d) => !Number.isNaN(shanghaiDateStart(d)), 'a date YYYY-MM-DD')
  .openapi({ description: 'Beijing calendar date', example: '2026-12-01' });

export const PeriodQuery = z
  .object({ from: day, to: day })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] })
  .refine((q) => (shanghaiDateStart(q.to) - shanghaiDateStart(q.from)) / 86_400_000 <= 366, { message: 'at most 366 days', path: ['to'] });

export const LeaderboardSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    items: z.array(
      z.object({
        inviterId: z.string(),
        nickname: z.string(),
        rewarded: z.number().int().openapi({ description: 'rewarded invites in the period' }),
        bound: z.number().int().openapi({ description: 'friends bound in the period' }),
        points: z.number().int(),
        cash: z.number().int().openapi({ description: 'fen' }),
        couponValue: z.number().int().openapi({ description: 'fen, face value' }),
      }),
    ),
    totals: z.object({
      bound: z.number().int(),
      rewarded: z.number().int(),
      blocked: z.number().int(),
      points: z.number().int(),
      cash: z.number().int(),
      couponValue: z.number().int(),
    }),
  })
  .openapi('ReferralLeaderboard');

export const FraudReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    byReason: z.array(z.object({ reason: ReferralInvalidReason, label: z.string(), count: z.number().int() })),
    byDay: z.array(z.object({ day: z.string(), blocked: z.number().int(), rewarded: z.number().int() })),
    inviters: z
      .array(
        z.object({
          inviterId: z.string(),
          nickname: z.string(),
          blocked: z.number().int(),
          decided: z.number().int().openapi({ description: 'rewarded + blocked' }),
          reasons: z.record(z.string(), z.number().int()),
        }),
      )
      .openapi({ description: 'inviters with blocked invites, most first (at most 50)' }),
  })
  .openapi('ReferralFraudReport');

export const ReferralLookupQuery = z
  .object({
    userId: z.string().min(4).max(40).optional().openapi({ description: 'as inviter or invitee' }),
    code: InviteCode.optional(),
    orderId: z.string().min(4).max(40).optional(),
  })
  .refine((q) => !!(q.userId || q.code || q.orderId), 'give userId, code or orderId');

export const AdminReferralSchema = z
  .object({
    id: z.string(),
    inviterId: z.string(),
    inviterNickname: z.string(),
    inviteeId: z.string(),
    inviteeNickname: z.string(),
    code: z.string(),
    via: z.enum(['login', 'bind']),
    status: z.enum(['registered', 'rewarded', 'invalid']),
    reason: ReferralInvalidReason.nullable(),
    reasonText: z.string().nullable(),
    boundAt: isoTime,
    orderId: z.string().nullable(),
    decidedAt: isoTime.nullable(),
    clawedBackAt: isoTime.nullable(),
    clawbackNote: z.string().nullable(),
    rewards: z.array(ReferralRewardSchema.extend({ userId: z.string() })),
  })
  .openapi('AdminReferral');
export type AdminReferralDto = z.infer<typeof AdminReferralSchema>;

export const ReferralLookupSchema = z
  .object({ inviterCode: z.string().nullable(), items: z.array(AdminReferralSchema) })
  .openapi('ReferralLookup');

export const RevokeReferralInput = z
  .object({ note: z.string().trim().min(2).max(200).openapi({ example: '核实为刷单' }) })
  .openapi('RevokeReferralInput');
export const ReferralIdParam = z.object({ referralId: z.string().regex(/^rfl_[0-9a-z]{16}$/, 'a referral id') });
