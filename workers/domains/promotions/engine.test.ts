import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { apportion, priceLines, type PricingLine } from './engine';
import { memberPriceRule } from './member-price.rule';

describe('pricing engine', () => {
  it('apportion: integer shares that sum exactly and never exceed their weight', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 1_000_000 }), { minKeys: 1, maxKeys: 12 }), fc.integer({ min: 0, max: 5_000_000 }), (weights, amount) => {
        const shares = apportion(amount, weights);
        const total = Object.values(weights).reduce((a, b) => a + b, 0);
        const sum = Object.values(shares).reduce((a, b) => a + b, 0);
        expect(sum).toBe(Math.min(amount, total));
        for (const k of Object.keys(weights)) {
          expect(Number.isInteger(shares[k])).toBe(true);
          expect(shares[k]).toBeGreaterThanOrEqual(0);
          expect(shares[k]).toBeLessThanOrEqual(weights[k]!);
        }
      }),
    );
  });

  it('apportion splits 1 fen over three equal lines deterministically', () => {
    expect(apportion(1, { a: 100, b: 100, c: 100 })).toEqual({ a: 1, b: 0, c: 0 });
    expect(apportion(100, { a: 1, b: 2 })).toEqual({ a: 1, b: 2 });
  });

  it('member price applies only to shoppers with a tier and shows as a discount line', () => {
    const lines: PricingLine[] = [{ lineId: 'l1', skuId: 's1', productId: 'p', merchantId: 'm', unitPrice: 1000, quantity: 3, lineTotal: 3000 }];
    const memberPrices = new Map([['s1', 900]]);
    const none = priceLines(lines, [memberPriceRule], { userId: 'u', tier: null, memberPrices, now: 0 });
    expect(none.discountTotal).toBe(0);
    const gold = priceLines(lines, [memberPriceRule], { userId: 'u', tier: 'gold', memberPrices, now: 0 });
    expect(gold.discounts).toEqual([{ source: 'member_price', sourceId: 'gold', label: '会员价', amount: 300, shares: { l1: 300 } }]);
    expect(gold.lines[0]!.payable).toBe(2700);
  });

  it('refuses a rule whose shares do not add up', () => {
    const bad = { id: 'bad', apply: () => [{ source: 'x', sourceId: null, label: 'x', amount: 10, shares: { l1: 9 } }] };
    const lines: PricingLine[] = [{ lineId: 'l1', skuId: 's1', productId: 'p', merchantId: 'm', unitPrice: 100, quantity: 1, lineTotal: 100 }];
    expect(() => priceLines(lines, [bad], { userId: null, tier: null, memberPrices: new Map(), now: 0 })).toThrow(/do not sum/);
  });
});
