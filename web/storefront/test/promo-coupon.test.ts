import { describe, expect, it } from 'vitest';
import {
  claimState,
  CLAIM_TEXT,
  couponCondition,
  couponFace,
  couponScope,
  couponValidity,
  couponYuan,
  type CouponTerms,
} from '@/lib/promo-coupon';

const c = (over: Partial<CouponTerms> = {}): CouponTerms => ({
  kind: 'amount_off',
  threshold: 0,
  amountOff: 3000,
  rate: null,
  maxOff: null,
  isPlatform: true,
  scope: { type: 'all' },
  validFrom: null,
  validTo: null,
  validDays: null,
  ...over,
});

describe('couponYuan', () => {
  it('drops ".00" from whole yuan only', () => {
    expect(couponYuan(3000)).toBe('¥30');
    expect(couponYuan(250)).toBe('¥2.50');
    expect(couponYuan(1990)).toBe('¥19.90');
    expect(couponYuan(0)).toBe('¥0');
  });
});

describe('couponFace', () => {
  it('is the amount for 满减/无门槛券', () => {
    expect(couponFace(c())).toBe('¥30');
    expect(couponFace(c({ amountOff: 550 }))).toBe('¥5.50');
  });
  it('is N折 for 折扣券 (rate = percent paid)', () => {
    expect(couponFace(c({ kind: 'percent_off', amountOff: null, rate: 95 }))).toBe('9.5折');
    expect(couponFace(c({ kind: 'percent_off', amountOff: null, rate: 90 }))).toBe('9折');
    expect(couponFace(c({ kind: 'percent_off', amountOff: null, rate: 88 }))).toBe('8.8折');
  });
  it('is 免运费 for 运费券', () => {
    expect(couponFace(c({ kind: 'free_shipping', amountOff: null }))).toBe('免运费');
    expect(couponFace(c({ kind: 'free_shipping', amountOff: 1000 }))).toBe('免运费');
  });
});

describe('couponCondition', () => {
  it('says the threshold or 无门槛', () => {
    expect(couponCondition(c({ threshold: 19900 }))).toBe('满¥199可用');
    expect(couponCondition(c({ threshold: 9950 }))).toBe('满¥99.50可用');
    expect(couponCondition(c())).toBe('无门槛');
  });
  it('adds the cap of a 折扣券', () => {
    expect(couponCondition(c({ kind: 'percent_off', rate: 95, maxOff: 3000 }))).toBe('无门槛 · 最高减¥30');
    expect(couponCondition(c({ kind: 'percent_off', rate: 95, threshold: 10000, maxOff: null }))).toBe('满¥100可用');
  });
});

describe('couponScope', () => {
  it('says who issues it and where it applies', () => {
    expect(couponScope(c())).toBe('平台券 · 全场通用');
    expect(couponScope(c({ isPlatform: false, scope: { type: 'products', ids: ['prd_1'] } }))).toBe('店铺券 · 指定商品可用');
    expect(couponScope(c({ scope: { type: 'categories', ids: ['cat_1'] } }))).toBe('平台券 · 指定品类可用');
    expect(couponScope(c({ scope: { type: 'skus', ids: ['sku_1'] } }))).toBe('平台券 · 指定规格可用');
  });
});

describe('couponValidity (Beijing time)', () => {
  it('gives a fixed window', () => {
    expect(couponValidity(c({ validFrom: '2026-12-04T10:00:00.000Z', validTo: '2027-01-03T10:00:00.000Z' }))).toBe(
      '12-04 18:00 至 01-03 18:00',
    );
  });
  it('gives days from receipt', () => {
    expect(couponValidity(c({ validDays: 7 }))).toBe('领取后7天内有效');
  });
  it('gives an end alone', () => {
    expect(couponValidity(c({ validTo: '2027-01-03T10:00:00.000Z' }))).toBe('至 01-03 18:00');
  });
  it('is empty without terms', () => {
    expect(couponValidity(c())).toBe('');
  });
});

describe('claimState', () => {
  const row = (over: Partial<Parameters<typeof claimState>[0]> = {}) => ({
    remaining: 10,
    perUserLimit: 1,
    claimedByMe: 0,
    canClaim: true,
    ...over,
  });
  it('is claimable when signed out (null), or while under the limit', () => {
    expect(claimState(row({ claimedByMe: null, canClaim: null }))).toBe('claimable');
    expect(claimState(row())).toBe('claimable');
    expect(claimState(row({ perUserLimit: 2, claimedByMe: 1 }))).toBe('claimable');
  });
  it('is claimed at the per-shopper limit, even with none left', () => {
    expect(claimState(row({ claimedByMe: 1, canClaim: false }))).toBe('claimed');
    expect(claimState(row({ claimedByMe: 1, remaining: 0, canClaim: false }))).toBe('claimed');
  });
  it('is sold_out when none remain', () => {
    expect(claimState(row({ remaining: 0, canClaim: false }))).toBe('sold_out');
    expect(claimState(row({ remaining: 0, claimedByMe: null, canClaim: null }))).toBe('sold_out');
  });
  it('follows canClaim=false: claimed if they hold one, else gone', () => {
    expect(claimState(row({ perUserLimit: 3, claimedByMe: 1, canClaim: false }))).toBe('claimed');
    expect(claimState(row({ remaining: 5, claimedByMe: 0, canClaim: false }))).toBe('sold_out');
  });
  it('CLAIM_TEXT is the button text', () => {
    expect(CLAIM_TEXT).toEqual({ claimable: '立即领取', claimed: '已领取', sold_out: '已抢光' });
  });
});
