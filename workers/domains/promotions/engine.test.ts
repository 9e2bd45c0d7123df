import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  apportion,
  applyCoupons,
  pricePromotions,
  type CouponTerms,
  type PriceRule,
  type PricingLine,
  type PricingResult,
  type ShopperContext,
} from './engine';
import { suggestCoupons } from './best-coupons';
import { DEFAULT_STACKING_POLICY, type StackingPolicy } from './stacking';
import type { PromoScope } from './schema';

const P = 'mch_platform';
const NOW = 1_800_000_000_000;
const shopper = { userId: 'u1', tier: null, now: NOW };
const policy = DEFAULT_STACKING_POLICY;

const line = (id: string, unitPrice: number, quantity = 1, over: Partial<PricingLine> = {}): PricingLine => ({
  lineId: id,
  skuId: id,
  productId: `p_${id}`,
  merchantId: 'm1',
  categoryPath: '/c1/',
  unitPrice,
  quantity,
  lineTotal: unitPrice * quantity,
  ...over,
});
const rule = (over: Partial<PriceRule> & Pick<PriceRule, 'id' | 'kind'>): PriceRule => ({
  merchantId: P,
  label: over.id,
  scope: { type: 'all' },
  basis: 'amount',
  tiers: [],
  repeat: false,
  cap: null,
  rate: null,
  prices: null,
  priority: 0,
  campaignId: null,
  ...over,
});
const coupon = (over: Partial<CouponTerms> & Pick<CouponTerms, 'id' | 'kind'>): CouponTerms => ({
  templateId: `t_${over.id}`,
  name: over.id,
  merchantId: P,
  threshold: 0,
  amountOff: null,
  rate: null,
  maxOff: null,
  scope: { type: 'all' },
  validFrom: NOW - 1000,
  validTo: NOW + 1000,
  ...over,
});
// Both phases as the checkout runs them: promotions first, then the chosen coupons.
const price = (
  lines: PricingLine[],
  rules: PriceRule[] = [],
  coupons: CouponTerms[] = [],
  shipping: Record<string, number> = {},
  pol: StackingPolicy = policy,
  who: ShopperContext = shopper,
) => applyCoupons(pricePromotions(lines, rules, who, pol, P), coupons, shipping);

describe('apportion', () => {
  it('gives integer shares that sum exactly and never exceed their weight', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 1_000_000 }), { minKeys: 1, maxKeys: 12 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        (weights, amount) => {
          const shares = apportion(amount, weights);
          const total = Object.values(weights).reduce((a, b) => a + b, 0);
          expect(Object.values(shares).reduce((a, b) => a + b, 0)).toBe(Math.min(amount, total));
          for (const k of Object.keys(weights)) {
            expect(Number.isInteger(shares[k])).toBe(true);
            expect(shares[k]).toBeGreaterThanOrEqual(0);
            expect(shares[k]).toBeLessThanOrEqual(weights[k]!);
          }
        },
      ),
    );
  });

  it('splits 满5减1 over three ¥1.66 lines into exact fen (no 0.98)', () => {
    const r = price(
      [line('a', 166), line('b', 166), line('c', 168)],
      [rule({ id: 'r', kind: 'full_reduction', tiers: [{ threshold: 500, off: 100 }] })],
    );
    expect(r.discounts[0]).toMatchObject({ amount: 100, shares: { a: 33, b: 33, c: 34 } });
    expect(r.payableTotal).toBe(400);
  });
});

describe('rules', () => {
  it('满199减30, 满299减60: the highest reached tier applies and the next one is hinted', () => {
    const tiers = [
      { threshold: 19900, off: 3000 },
      { threshold: 29900, off: 6000 },
    ];
    const r = price([line('a', 12000), line('b', 9000)], [rule({ id: 'fr', kind: 'full_reduction', tiers, label: '满199减30' })]);
    expect(r.discountTotal).toBe(3000);
    expect(r.hints).toEqual([{ ruleId: 'fr', label: '满199减30', message: '再买¥89.00可减¥60.00' }]);
    expect(price([line('a', 30000)], [rule({ id: 'fr', kind: 'full_reduction', tiers })]).discountTotal).toBe(6000);
    expect(price([line('a', 19899)], [rule({ id: 'fr', kind: 'full_reduction', tiers })]).discountTotal).toBe(0);
  });

  it('每满100减10 repeats up to its cap', () => {
    const r = (total: number) =>
      price(
        [line('a', total)],
        [rule({ id: 'x', kind: 'full_reduction', repeat: true, cap: 3000, tiers: [{ threshold: 10000, off: 1000 }] })],
      ).discountTotal;
    expect(r(9999)).toBe(0);
    expect(r(25000)).toBe(2000);
    expect(r(99900)).toBe(3000);
  });

  it('满2件9折 counts units and rounds the discount down', () => {
    const r = price(
      [line('a', 999, 2)],
      [rule({ id: 'fd', kind: 'full_discount', basis: 'quantity', tiers: [{ threshold: 2, rate: 90 }] })],
    );
    expect(r.discountTotal).toBe(199); // 10% of 19.98 = 1.998 → 1.99
    expect(
      price([line('a', 999, 1)], [rule({ id: 'fd', kind: 'full_discount', basis: 'quantity', tiers: [{ threshold: 2, rate: 90 }] })])
        .hints[0]!.message,
    ).toBe('再买1件享9折');
  });

  it('a 限时折扣 line takes no 满减 by default, and does when the policy allows', () => {
    const lt = rule({ id: 'lt', kind: 'limited_time', rate: 80, scope: { type: 'skus', ids: ['a'] } });
    const fr = rule({ id: 'fr', kind: 'full_reduction', tiers: [{ threshold: 10000, off: 1000 }] });
    const lines = [line('a', 10000), line('b', 10000)];
    const r = price(lines, [lt, fr]);
    expect(r.discounts.map((d) => [d.source, d.amount])).toEqual([
      ['limited_time', 2000],
      ['full_reduction', 1000],
    ]);
    expect(r.discounts[1]!.shares).toEqual({ b: 1000 });
    const both = price(lines, [lt, fr], [], {}, { ...policy, limitedTimeExcludesFullReduction: false });
    expect(both.discounts[1]!.shares).toEqual({ a: 444, b: 556 });
  });

  it('member price and 限时折扣: the better one applies', () => {
    const lt = rule({ id: 'lt', kind: 'limited_time', prices: { a: 900 } });
    const r = price([line('a', 1000, 1, { memberPrice: 850 })], [lt], [], {}, policy, { ...shopper, tier: 'gold' });
    expect(r.discounts).toEqual([{ source: 'member_price', sourceId: 'gold', label: '会员价', amount: 150, shares: { a: 150 } }]);
  });

  it('member price: only a shopper with a tier gets it, and only when the SKU has a lower one', () => {
    const gold = { ...shopper, tier: 'gold' };
    expect(price([line('a', 9900, 1, { memberPrice: 8900 })]).discounts).toEqual([]);
    expect(price([line('a', 9900, 1, { memberPrice: 8900 })], [], [], {}, policy, gold).payableTotal).toBe(8900);
    expect(price([line('a', 9900, 1, { memberPrice: null })], [], [], {}, policy, gold).discounts).toEqual([]);
    expect(price([line('a', 9900, 1, { memberPrice: 9900 })], [], [], {}, policy, gold).discounts).toEqual([]);
  });

  it('a shop rule only covers its own merchant, a category scope covers sub-categories', () => {
    const shopRule = rule({ id: 's', kind: 'full_reduction', merchantId: 'm2', tiers: [{ threshold: 100, off: 50 }] });
    expect(price([line('a', 1000)], [shopRule]).discountTotal).toBe(0);
    const cat = rule({ id: 'c', kind: 'full_reduction', scope: { type: 'categories', ids: ['c1'] }, tiers: [{ threshold: 100, off: 50 }] });
    expect(
      price([line('a', 1000, 1, { categoryPath: '/c1/c9/' }), line('b', 1000, 1, { categoryPath: '/c2/' })], [cat]).discounts[0]!.shares,
    ).toEqual({ a: 50 });
  });
});

describe('coupons', () => {
  it('thresholds read after 满减, with the shortfall in words', () => {
    const fr = rule({ id: 'fr', kind: 'full_reduction', tiers: [{ threshold: 10000, off: 1000 }] });
    const c = coupon({ id: 'c1', kind: 'amount_off', threshold: 10000, amountOff: 1500 });
    const r = price([line('a', 10000)], [fr], [c]);
    expect(r.couponIssues).toEqual([{ couponId: 'c1', code: 'promotions.coupon_threshold', reason: '还差¥10.00可用' }]);
    expect(r.payableTotal).toBe(9000);
  });

  it('one shop coupon per merchant, one platform coupon, then shipping', () => {
    const lines = [line('a', 10000), line('b', 5000, 1, { merchantId: 'm2' })];
    const s1 = coupon({ id: 's1', kind: 'amount_off', merchantId: 'm1', amountOff: 500 });
    const s2 = coupon({ id: 's2', kind: 'amount_off', merchantId: 'm1', amountOff: 800 });
    const p1 = coupon({ id: 'p1', kind: 'percent_off', rate: 90, maxOff: 1000 });
    const f1 = coupon({ id: 'f1', kind: 'free_shipping' });
    const r = price(lines, [], [s1, s2, p1, f1], { m1: 800, m2: 1000 });
    expect(r.appliedCouponIds).toEqual(['s1', 'p1', 'f1']);
    expect(r.couponIssues).toEqual([{ couponId: 's2', code: 'promotions.coupon_not_stackable', reason: '每个店铺最多用1张店铺券' }]);
    // platform 10% of (9500 + 5000) = 1450 → capped at 1000
    expect(r.discountTotal).toBe(1500);
    expect(r.shippingDiscountTotal).toBe(1800);
    expect(r.payableTotal).toBe(15000 - 1500);
  });

  it('a shop coupon never pushes the platform coupon below its threshold (thresholds are read before coupons)', () => {
    const shop = coupon({ id: 'shop', kind: 'amount_off', merchantId: 'm1', amountOff: 500 });
    const plat = coupon({ id: 'plat', kind: 'amount_off', threshold: 10000, amountOff: 2000 });
    const both = price([line('a', 10000)], [], [shop, plat]);
    expect(both.appliedCouponIds).toEqual(['shop', 'plat']);
    expect(both.payableTotal).toBe(7500);
    expect(price([line('a', 10000)], [], [plat]).payableTotal).toBe(8000);
  });

  it('suggests the best combination and explains the rest', () => {
    const lines = [line('a', 10000)];
    const held = [
      coupon({ id: 'small', kind: 'amount_off', amountOff: 300 }),
      coupon({ id: 'big', kind: 'amount_off', threshold: 9000, amountOff: 1500 }),
      coupon({ id: 'far', kind: 'amount_off', threshold: 11200, amountOff: 3000 }),
      coupon({ id: 'shop', kind: 'amount_off', merchantId: 'm1', amountOff: 200 }),
    ];
    const state = pricePromotions(lines, [], shopper, policy, P);
    const s = suggestCoupons(state, held, {});
    expect(s.couponIds.sort()).toEqual(['big', 'shop']);
    expect(s.saving).toBe(1700);
    expect(s.advice.find((a) => a.couponId === 'far')!.reason).toBe('还差¥12.00可用');
    expect(s.advice.find((a) => a.couponId === 'small')!.reason).toBe('可用，已为您选择更优惠的组合');
  });
});

// ---- properties over random carts, rules and coupons ----
const merchantArb = fc.constantFrom('m1', 'm2', P);
const scopeArb: fc.Arbitrary<PromoScope> = fc.oneof(
  fc.constant<PromoScope>({ type: 'all' }),
  fc.constant<PromoScope>({ type: 'categories', ids: ['c1'] }),
  fc.subarray(['s0', 's1', 's2', 's3'], { minLength: 1 }).map((ids): PromoScope => ({ type: 'skus', ids })),
);
const linesArb = fc
  .array(
    fc.record({
      unitPrice: fc.integer({ min: 1, max: 40_000 }),
      quantity: fc.integer({ min: 1, max: 4 }),
      merchantId: merchantArb,
      cat: fc.constantFrom('/c1/', '/c1/c2/', '/c3/'),
      member: fc.option(fc.integer({ min: 0, max: 40_000 })),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((ls) =>
    ls.map((l, i) => line(`s${i}`, l.unitPrice, l.quantity, { merchantId: l.merchantId, categoryPath: l.cat, memberPrice: l.member })),
  );
const ruleArb: fc.Arbitrary<PriceRule> = fc.oneof(
  fc
    .record({
      t: fc.integer({ min: 100, max: 20_000 }),
      off: fc.integer({ min: 1, max: 5_000 }),
      t2: fc.integer({ min: 1, max: 20_000 }),
      merchantId: merchantArb,
      scope: scopeArb,
      repeat: fc.boolean(),
      cap: fc.option(fc.integer({ min: 1, max: 20_000 })),
    })
    .map((x) =>
      rule({
        id: `fr${x.t}`,
        kind: 'full_reduction',
        merchantId: x.merchantId,
        scope: x.scope,
        repeat: x.repeat,
        cap: x.repeat ? x.cap : null,
        tiers: x.repeat
          ? [{ threshold: x.t, off: x.off }]
          : [
              { threshold: x.t, off: x.off },
              { threshold: x.t + x.t2, off: x.off + 1 },
            ],
      }),
    ),
  fc
    .record({ t: fc.integer({ min: 1, max: 5 }), rate: fc.integer({ min: 1, max: 99 }), merchantId: merchantArb, scope: scopeArb })
    .map((x) =>
      rule({
        id: `fd${x.t}${x.rate}`,
        kind: 'full_discount',
        basis: 'quantity',
        merchantId: x.merchantId,
        scope: x.scope,
        tiers: [{ threshold: x.t, rate: x.rate }],
      }),
    ),
  fc
    .record({ rate: fc.integer({ min: 1, max: 99 }), fixed: fc.option(fc.integer({ min: 0, max: 40_000 })), scope: scopeArb })
    .map((x) =>
      rule({ id: `lt${x.rate}`, kind: 'limited_time', rate: x.rate, prices: x.fixed === null ? null : { s0: x.fixed }, scope: x.scope }),
    ),
);
const couponArb = (id: string): fc.Arbitrary<CouponTerms> =>
  fc
    .record({
      kind: fc.constantFrom('amount_off' as const, 'percent_off' as const, 'free_shipping' as const),
      merchantId: merchantArb,
      threshold: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 60_000 })),
      amountOff: fc.integer({ min: 1, max: 15_000 }),
      rate: fc.integer({ min: 1, max: 99 }),
      maxOff: fc.option(fc.integer({ min: 1, max: 10_000 })),
      scope: scopeArb,
      expired: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    })
    .map((x) =>
      coupon({
        id,
        kind: x.kind,
        merchantId: x.merchantId,
        threshold: x.threshold,
        amountOff: x.kind === 'percent_off' ? null : x.amountOff,
        rate: x.kind === 'percent_off' ? x.rate : null,
        maxOff: x.kind === 'percent_off' ? x.maxOff : null,
        scope: x.scope,
        validTo: x.expired ? NOW : NOW + 1000,
      }),
    );
const couponsArb = fc.integer({ min: 0, max: 5 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => couponArb(`k${i}`))));
const policyArb: fc.Arbitrary<StackingPolicy> = fc.record({
  limitedTimeExcludesFullReduction: fc.boolean(),
  limitedTimeExcludesCoupons: fc.boolean(),
  memberPriceOrLimitedTime: fc.boolean(),
  shopCouponsPerMerchant: fc.integer({ min: 0, max: 2 }),
  platformCouponsPerOrder: fc.integer({ min: 0, max: 2 }),
  platformWithShopCoupons: fc.boolean(),
  shippingCouponsPerOrder: fc.integer({ min: 0, max: 1 }),
});
const shippingArb = fc.record({
  m1: fc.integer({ min: 0, max: 2_000 }),
  m2: fc.integer({ min: 0, max: 2_000 }),
  [P]: fc.integer({ min: 0, max: 2_000 }),
});
const cartArb = fc.record({
  lines: linesArb,
  rules: fc
    .array(fc.tuple(ruleArb, fc.constantFrom(null, 'cmpA', 'cmpB')), { maxLength: 3 })
    .map((rs) => rs.map(([r, campaignId], i) => ({ ...r, id: `${r.id}_${i}`, priority: i % 2, campaignId }))),
  budgets: fc.record({ cmpA: fc.integer({ min: 0, max: 30_000 }), cmpB: fc.integer({ min: 0, max: 3_000 }) }),
  coupons: couponsArb,
  policy: policyArb,
  shipping: shippingArb,
  tier: fc.constantFrom(null, 'gold'),
});
type Cart = typeof cartArb extends fc.Arbitrary<infer T> ? T : never;

const stateOf = (c: Cart) => pricePromotions(c.lines, c.rules, { ...shopper, tier: c.tier }, c.policy, P, c.budgets);
const run = (c: Cart, coupons: CouponTerms[]): PricingResult => applyCoupons(stateOf(c), coupons, c.shipping);

function allSubsets<T>(xs: T[]): T[][] {
  return xs.reduce<T[][]>((acc, x) => acc.concat(acc.map((s) => [...s, x])), [[]]);
}

describe('pricing properties (fast-check)', () => {
  it('payable ≥ 0, every discount is apportioned exactly, totals add up', () => {
    fc.assert(
      fc.property(cartArb, (c) => {
        const r = run(c, [...c.coupons]);
        expect(r.payableTotal).toBeGreaterThanOrEqual(0);
        for (const d of r.discounts) {
          const shares =
            Object.values(d.shares).reduce((a, b) => a + b, 0) + Object.values(d.shippingShares ?? {}).reduce((a, b) => a + b, 0);
          expect(shares).toBe(d.amount);
          expect(d.amount).toBeGreaterThan(0);
        }
        for (const l of r.lines) {
          expect(l.payable).toBeGreaterThanOrEqual(0);
          expect(l.payable + l.discountShare).toBe(l.lineTotal);
        }
        const goodsDiscounts = r.discounts.filter((d) => d.source !== 'shipping_coupon').reduce((a, d) => a + d.amount, 0);
        expect(goodsDiscounts).toBe(r.discountTotal);
        expect(r.payableTotal).toBe(r.goodsTotal - r.discountTotal + r.shippingFeeTotal - r.shippingDiscountTotal);
        for (const s of r.shipping) expect(s.payable).toBeGreaterThanOrEqual(0);
        // A campaign's rules never grant more than its budget has left.
        for (const [id, left] of Object.entries(c.budgets))
          expect(r.discounts.filter((d) => d.campaignId === id).reduce((a, d) => a + d.amount, 0)).toBeLessThanOrEqual(left);
        // Deterministic: the same input prices the same.
        expect(run(c, [...c.coupons])).toEqual(r);
      }),
      { numRuns: 1000 },
    );
  });

  it('removing a coupon from a valid combination never lowers the price', () => {
    fc.assert(
      fc.property(cartArb, (c) => {
        for (const set of allSubsets([...c.coupons])) {
          const r = run(c, set);
          if (r.couponIssues.length || set.length === 0) continue;
          for (const drop of set) {
            const without = run(
              c,
              set.filter((x) => x !== drop),
            );
            expect(without.payableTotal).toBeGreaterThanOrEqual(r.payableTotal);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('the suggested combination is valid and no valid combination beats it (brute force)', () => {
    fc.assert(
      fc.property(cartArb, (c) => {
        const state = stateOf(c);
        const s = suggestCoupons(state, [...c.coupons], c.shipping);
        const chosen = c.coupons.filter((x) => s.couponIds.includes(x.id));
        const mine = applyCoupons(state, chosen, c.shipping);
        expect(mine.couponIssues).toEqual([]);
        expect(mine.payableTotal).toBe(s.payableTotal);
        let best = applyCoupons(state, [], c.shipping).payableTotal;
        for (const set of allSubsets([...c.coupons])) {
          const r = applyCoupons(state, set, c.shipping);
          if (r.couponIssues.length === 0) best = Math.min(best, r.payableTotal);
        }
        expect(s.payableTotal).toBe(best);
      }),
      { numRuns: 1000 },
    );
  });
});
