// Pure mappings from coupon rows to what the API and the checkout see. No queries here, so the
// login path (new-user pack) can import it without pulling in the rest of promotions.
import { iso } from '../../../shared/db';
import { PLATFORM_MERCHANT_ID } from '../../../shared/rbac';
import type { CouponTerms } from '../engine';
import type { couponTemplates, userCoupons } from '../schema';
import type { CouponTemplateDto, UserCouponDto } from './dto';

export type TemplateRow = typeof couponTemplates.$inferSelect;
export type UserCouponRow = typeof userCoupons.$inferSelect;

/** Fen as short yuan text: 19900 → "199", 1950 → "19.5", 1905 → "19.05". */
export function yuanText(amount: number): string {
  const whole = Math.floor(amount / 100);
  const frac = amount % 100;
  if (frac === 0) return String(whole);
  return `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
}

/** Pay rate percent as 折 text: 85 → "8.5折", 90 → "9折", 5 → "0.5折". */
const zhe = (rate: number) => `${rate % 10 === 0 ? rate / 10 : (rate / 10).toFixed(1)}折`;

/** The coupon's face in shoppers' words: "满199减30", "无门槛减5元", "8.5折 最高减20元", "满100打9折", "免运费". */
export function couponLabel(t: Pick<TemplateRow, 'kind' | 'threshold' | 'amountOff' | 'rate' | 'maxOff'>): string {
  const over = t.threshold > 0 ? `满${yuanText(t.threshold)}` : '';
  if (t.kind === 'amount_off')
    return t.threshold > 0 ? `${over}减${yuanText(t.amountOff ?? 0)}` : `无门槛减${yuanText(t.amountOff ?? 0)}元`;
  if (t.kind === 'percent_off')
    return `${over ? `${over}打` : ''}${zhe(t.rate ?? 100)}${t.maxOff != null ? ` 最高减${yuanText(t.maxOff)}元` : ''}`;
  return `${over}免运费${t.amountOff != null ? ` 最高减${yuanText(t.amountOff)}元` : ''}`;
}

/** The terms every coupon view shares. */
export function termsOf(t: TemplateRow) {
  return {
    name: t.name,
    label: couponLabel(t),
    kind: t.kind,
    threshold: t.threshold,
    amountOff: t.amountOff,
    rate: t.rate,
    maxOff: t.maxOff,
    scope: t.scope,
    merchantId: t.merchantId,
    isPlatform: t.merchantId === PLATFORM_MERCHANT_ID,
  };
}

export function toTemplateDto(t: TemplateRow): CouponTemplateDto {
  return {
    id: t.id,
    ...termsOf(t),
    validFrom: iso(t.validFrom),
    validTo: iso(t.validTo),
    validDays: t.validDays,
    claimStartsAt: iso(t.claimStartsAt)!,
    claimEndsAt: iso(t.claimEndsAt)!,
    totalQuantity: t.totalQuantity,
    issuedCount: t.issuedCount,
    usedCount: t.usedCount,
    remaining: Math.max(0, t.totalQuantity - t.issuedCount),
    perUserLimit: t.perUserLimit,
    channels: t.channels,
    code: t.code,
    packOrder: t.packOrder,
    campaignId: t.campaignId,
    status: t.status,
    createdBy: t.createdBy,
    createdAt: iso(t.createdAt)!,
  };
}

/** 'expired' is computed: an unused coupon past its validTo. */
export const couponStatus = (c: Pick<UserCouponRow, 'status' | 'validTo'>, now: number): UserCouponDto['status'] =>
  c.status === 'used' ? 'used' : c.validTo <= now ? 'expired' : 'available';

export function toUserCouponDto(c: UserCouponRow, t: TemplateRow, now: number): UserCouponDto {
  return {
    id: c.id,
    templateId: c.templateId,
    ...termsOf(t),
    validFrom: iso(c.validFrom)!,
    validTo: iso(c.validTo)!,
    status: couponStatus(c, now),
    channel: c.channel,
    usedAt: iso(c.usedAt),
    orderId: c.orderId,
    createdAt: iso(c.createdAt)!,
  };
}

/**
 * A held coupon with its template's terms, for the checkout: the engine's CouponTerms plus what
 * a quote shows (label, platform or shop) and where it stands (status, the checkout using it).
 */
export interface CouponWithTerms extends CouponTerms {
  label: string;
  isPlatform: boolean;
  status: 'available' | 'used' | 'expired';
  checkoutId: string | null;
  orderId: string | null;
}

export function toCouponWithTerms(c: UserCouponRow, t: TemplateRow, now: number): CouponWithTerms {
  return {
    id: c.id,
    templateId: t.id,
    name: t.name,
    label: couponLabel(t),
    merchantId: t.merchantId,
    isPlatform: t.merchantId === PLATFORM_MERCHANT_ID,
    kind: t.kind,
    threshold: t.threshold,
    amountOff: t.amountOff,
    rate: t.rate,
    maxOff: t.maxOff,
    scope: t.scope,
    validFrom: c.validFrom,
    validTo: c.validTo,
    status: couponStatus(c, now),
    checkoutId: c.checkoutId,
    orderId: c.orderId,
  };
}
