/**
 * How a coupon reads on a card (领券中心, 我的优惠券, 新人礼包): the face (¥30 / 9.5折 / 免运费),
 * the threshold, who issues it and where it applies, how long it is valid, and the claim button's
 * state. Pure: no Taro.
 */
import { formatFen, formatTime } from './format';

export interface CouponTerms {
  kind: 'amount_off' | 'percent_off' | 'free_shipping';
  threshold: number;
  amountOff: number | null;
  rate: number | null;
  maxOff: number | null;
  isPlatform: boolean;
  scope: { type: 'all' } | { type: 'categories' | 'products' | 'skus'; ids: string[] };
  validFrom: string | null;
  validTo: string | null;
  validDays?: number | null;
}

/** A coupon's amounts the way coupons print them: whole yuan without ".00" ("¥30", "¥2.50"). */
export function couponYuan(fen: number): string {
  return formatFen(fen).replace(/\.00$/, '');
}

/** The big text: "¥30", "9.5折", "免运费". */
export function couponFace(c: Pick<CouponTerms, 'kind' | 'amountOff' | 'rate'>): string {
  if (c.kind === 'amount_off') return couponYuan(c.amountOff ?? 0);
  if (c.kind === 'percent_off') {
    const r = c.rate ?? 100; // percent payable: 95 → 9.5折
    return `${r % 10 === 0 ? String(r / 10) : (r / 10).toFixed(1)}折`;
  }
  return '免运费';
}

/** "满¥199可用" / "无门槛" (+ "最高减¥30" for a capped 折扣券). */
export function couponCondition(c: Pick<CouponTerms, 'kind' | 'threshold' | 'maxOff'>): string {
  const base = c.threshold > 0 ? `满${couponYuan(c.threshold)}可用` : '无门槛';
  return c.kind === 'percent_off' && c.maxOff ? `${base} · 最高减${couponYuan(c.maxOff)}` : base;
}

const SCOPE: Record<CouponTerms['scope']['type'], string> = {
  all: '全场通用',
  categories: '指定品类可用',
  products: '指定商品可用',
  skus: '指定规格可用',
};

/** "平台券 · 全场通用" / "店铺券 · 指定商品可用" */
export function couponScope(c: CouponTerms): string {
  return `${c.isPlatform ? '平台券' : '店铺券'} · ${SCOPE[c.scope.type]}`;
}

/** "12-04 18:00 至 01-03 18:00", "领取后7天内有效", "至 01-03 18:00". */
export function couponValidity(c: CouponTerms): string {
  if (c.validFrom && c.validTo) return `${formatTime(c.validFrom)} 至 ${formatTime(c.validTo)}`;
  if (c.validDays) return `领取后${c.validDays}天内有效`;
  if (c.validTo) return `至 ${formatTime(c.validTo)}`;
  return '';
}

export type ClaimState = 'claimable' | 'claimed' | 'sold_out';

/**
 * The claim button of a coupon-centre card. `claimedByMe`/`canClaim` are null when signed out
 * (claimable: tapping signs in first).
 */
export function claimState(c: {
  remaining: number;
  perUserLimit: number;
  claimedByMe: number | null;
  canClaim: boolean | null;
}): ClaimState {
  if (c.claimedByMe !== null && c.claimedByMe >= c.perUserLimit) return 'claimed';
  if (c.remaining <= 0) return 'sold_out';
  if (c.canClaim === false) return c.claimedByMe ? 'claimed' : 'sold_out';
  return 'claimable';
}

export const CLAIM_TEXT: Record<ClaimState, string> = { claimable: '立即领取', claimed: '已领取', sold_out: '已抢光' };
