// Answers of the API that several tests build on, in the generated types (a schema change shows here).
import type { CouponOptionLike } from '@/lib/checkout';

/** One coupon option of a checkout quote: 满99减15, platform, usable. */
export const couponOption = (over: Partial<CouponOptionLike> = {}): CouponOptionLike => ({
  couponId: 'cpn_1',
  templateId: 'cpt_1',
  name: '满99减15',
  merchantId: 'mch_platform',
  kind: 'amount_off',
  threshold: 9900,
  amountOff: 1500,
  rate: null,
  maxOff: null,
  validTo: '2026-12-11T00:00:00Z',
  usable: true,
  suggested: false,
  applied: false,
  reason: null,
  ...over,
});
