import { describe, expect, it } from 'vitest';
import { campaignPeriod, endsInText, pickInOrder, ruleTags, type ProductPromotions } from '@/lib/campaign';

const promo = (
  rules: [ProductPromotions['rules'][number]['kind'], string][],
  labels: (string | null)[] = [],
): Pick<ProductPromotions, 'rules' | 'skus'> => ({
  rules: rules.map(([kind, label], i) => ({ ruleId: `r${i}`, kind, label, endsAt: '2027-01-03T00:00:00.000Z' })),
  skus: labels.map((label, i) => ({ skuId: `s${i}`, price: 1000, promoPrice: 800, label, ruleId: label ? 'lt' : null, endsAt: null })),
});

describe('ruleTags', () => {
  it('splits the tiers, drops repeats and puts 满减 first', () => {
    expect(
      ruleTags([
        promo([], ['限时8折']),
        promo([['full_reduction', '满199减30/满299减60']], [null]),
        promo([
          ['full_reduction', '满199减30/满299减60'],
          ['full_discount', '满2件9折'],
        ]),
      ]),
    ).toEqual([
      { key: 'full_reduction:满199减30', kind: 'full_reduction', text: '满199减30' },
      { key: 'full_reduction:满299减60', kind: 'full_reduction', text: '满299减60' },
      { key: 'full_discount:满2件9折', kind: 'full_discount', text: '满2件9折' },
      { key: 'limited_time:限时8折', kind: 'limited_time', text: '限时8折' },
    ]);
  });
  it('is empty without promotions', () => {
    expect(ruleTags([])).toEqual([]);
    expect(ruleTags([promo([], [null])])).toEqual([]);
  });
});

describe('campaign times', () => {
  const now = Date.parse('2026-12-04T12:00:00.000Z');
  it('prints the period in Beijing time', () => {
    expect(campaignPeriod({ startsAt: '2026-12-04T10:00:00.000Z', endsAt: '2027-01-03T10:00:00.000Z' })).toBe('12-04 18:00 - 01-03 18:00');
  });
  it('counts down to the end', () => {
    expect(endsInText('2027-01-03T12:00:00.000Z', now)).toBe('距结束还剩30天');
    expect(endsInText('2026-12-05T11:59:00.000Z', now)).toBe('距结束还剩23小时');
    expect(endsInText('2026-12-04T12:30:00.000Z', now)).toBe('即将结束');
    expect(endsInText('2026-12-04T12:00:00.000Z', now)).toBe('已结束');
  });
});

describe('pickInOrder', () => {
  it('keeps the campaign order and skips missing rows', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    expect(pickInOrder(rows, ['c', 'x', 'a'], (r) => r.id)).toEqual([{ id: 'c' }, { id: 'a' }]);
  });
});
