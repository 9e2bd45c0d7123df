import { eq } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { iso } from '../../../shared/db';
import { forbidden } from '../../../shared/errors';
import type { ReferralSettingsDto, ReferralSettingsInput, RewardViewDto } from './dto';
import { referralSettings, type ReferralInvalidReason, type ReferralReward } from './schema';

/** A shopper may enter a friend's code this long after registering (and before any order). */
export const BIND_WINDOW_HOURS = 24;

export interface ReferralProgramme {
  enabled: boolean;
  inviterReward: ReferralReward;
  inviteeReward: ReferralReward;
  dailyCap: number;
  minOrderAmount: number;
  shareTitle: string;
  shareImageUrl: string | null;
  extraRules: string;
  updatedAt: number | null;
}

/** What a shop has before an operator configures it: off, nothing granted. */
const DEFAULTS: ReferralProgramme = {
  enabled: false,
  inviterReward: { type: 'none' },
  inviteeReward: { type: 'none' },
  dailyCap: 10,
  minOrderAmount: 0,
  shareTitle: '{nickname}邀你来逛，新人首单得{reward}',
  shareImageUrl: null,
  extraRules: '',
  updatedAt: null,
};

export const INVALID_REASON_TEXT: Record<ReferralInvalidReason, string> = {
  same_phone: '与邀请人手机号相同',
  same_device: '与邀请人使用同一设备',
  same_address: '与邀请人收货地址相同',
  daily_cap: '超出邀请人当日奖励上限',
  refunded: '订单退款，奖励已收回',
  revoked: '平台核查后撤销奖励',
};

const yuan = (fen: number) => (fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2));

/** 200积分 · 首单每元1积分 · 优惠券 · ¥5余额返现 · 无 */
export function rewardLabel(r: ReferralReward, couponName?: string | null): string {
  switch (r.type) {
    case 'none':
      return '无';
    case 'points': {
      const parts: string[] = [];
      if (r.points > 0) parts.push(`${r.points}积分`);
      if (r.perYuan > 0) parts.push(`首单积分翻倍(每元再送${r.perYuan}积分)`);
      return parts.join(' + ');
    }
    case 'coupon':
      return couponName ? `优惠券「${couponName}」` : '优惠券';
    case 'cash':
      return `¥${yuan(r.amount)}余额返现`;
  }
}

export function rewardView(r: ReferralReward, couponName?: string | null): RewardViewDto {
  return {
    type: r.type,
    points: r.type === 'points' ? r.points : null,
    perYuan: r.type === 'points' ? r.perYuan : null,
    couponTemplateId: r.type === 'coupon' ? r.couponTemplateId : null,
    amount: r.type === 'cash' ? r.amount : null,
    label: rewardLabel(r, couponName),
  };
}

/** The programme as configured (or the defaults: off). */
export async function referralProgramme(ctx: Ctx): Promise<ReferralProgramme> {
  const [row] = await ctx.db.select().from(referralSettings).where(eq(referralSettings.id, 'default')).limit(1);
  if (!row) return DEFAULTS;
  return {
    enabled: row.enabled,
    inviterReward: row.inviterReward,
    inviteeReward: row.inviteeReward,
    dailyCap: row.dailyCap,
    minOrderAmount: row.minOrderAmount,
    shareTitle: row.shareTitle,
    shareImageUrl: row.shareImageUrl,
    extraRules: row.extraRules,
    updatedAt: row.updatedAt,
  };
}

export function settingsDto(p: ReferralProgramme, couponNames: Map<string, string>): ReferralSettingsDto {
  const name = (r: ReferralReward) => (r.type === 'coupon' ? (couponNames.get(r.couponTemplateId) ?? null) : null);
  return {
    enabled: p.enabled,
    inviterReward: rewardView(p.inviterReward, name(p.inviterReward)),
    inviteeReward: rewardView(p.inviteeReward, name(p.inviteeReward)),
    dailyCap: p.dailyCap,
    minOrderAmount: p.minOrderAmount,
    shareTitle: p.shareTitle,
    shareImageUrl: p.shareImageUrl,
    extraRules: p.extraRules,
    bindWindowHours: BIND_WINDOW_HOURS,
    updatedAt: iso(p.updatedAt),
  };
}

/** Writes the programme (one row, upserted). The caller has checked coupon templates. */
export async function saveReferralProgramme(ctx: Ctx, input: ReferralSettingsInput): Promise<void> {
  if (ctx.actor.kind !== 'staff') throw forbidden('this is for staff');
  const row = {
    enabled: input.enabled,
    inviterReward: input.inviterReward as ReferralReward,
    inviteeReward: input.inviteeReward as ReferralReward,
    dailyCap: input.dailyCap,
    minOrderAmount: input.minOrderAmount,
    shareTitle: input.shareTitle,
    shareImageUrl: input.shareImageUrl,
    extraRules: input.extraRules,
    updatedAt: ctx.now,
    updatedBy: ctx.actor.staffId,
  };
  await ctx.db
    .insert(referralSettings)
    .values({ id: 'default', ...row })
    .onConflictDoUpdate({ target: referralSettings.id, set: row });
}

/** 活动规则: generated from the settings, then the operator's own lines. */
export function rulesText(p: ReferralProgramme, inviter: string, invitee: string): string[] {
  const lines = [
    '分享你的专属邀请链接或小程序码，好友通过链接首次注册即与你绑定，绑定后不可更改。',
    `好友的首笔订单确认收货且售后期结束后，你可得${inviter}，好友可得${invitee}；每位好友只奖励一次。`,
    p.minOrderAmount > 0
      ? `该订单实付（扣除退款）需满¥${yuan(p.minOrderAmount)}；不满的，以之后第一笔满额的订单为准。`
      : '该订单实付（扣除退款）需大于0元；全额退款的，以之后第一笔订单为准。',
    `每位邀请人每天最多获得${p.dailyCap}位好友的奖励，超出的邀请记为无效。`,
    `已注册的用户可在注册后${BIND_WINDOW_HOURS}小时内、下单前填写好友邀请码。`,
    '不能邀请自己；与邀请人手机号、设备或收货地址相同的邀请不发放奖励。',
    '奖励发放后订单发生退款的，奖励将被收回（已使用的部分不再追回）。',
  ];
  for (const l of p.extraRules.split('\n')) if (l.trim()) lines.push(l.trim());
  return lines;
}

/** "{nickname}送你{reward}" → the share card title. */
export function shareTitle(p: ReferralProgramme, nickname: string, inviteeRewardLabel: string): string {
  const reward = p.inviteeReward.type === 'none' ? '新人好礼' : inviteeRewardLabel;
  return p.shareTitle.replaceAll('{nickname}', nickname).replaceAll('{reward}', reward).slice(0, 60);
}
