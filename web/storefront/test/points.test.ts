import { describe, expect, it } from 'vitest';
import { balanceRowText, deltaText, entryTitle, expiringText, pointsRowText, reasonText } from '@/lib/points';

describe('points and balance texts', () => {
  it('names ledger reasons for shoppers, with a staff note after the reason', () => {
    expect(reasonText('checkout', -300)).toBe('下单抵扣');
    expect(reasonText('checkout_refund', 300)).toBe('订单退回');
    expect(reasonText('expire', -10)).toBe('积分过期');
    expect(reasonText('lottery_whatever', -10)).toBe('抽奖');
    expect(reasonText('something_new', 5)).toBe('获得积分');
    expect(reasonText('something_new', -5)).toBe('使用积分');
    expect(entryTitle({ reason: 'adjust', delta: 50, note: '双十一补偿' })).toBe('客服调整 · 双十一补偿');
    expect(entryTitle({ reason: 'checkin', delta: 5, note: null })).toBe('签到奖励');
  });

  it('signs amounts: points as numbers, balance as yuan', () => {
    expect(deltaText(500, 'points')).toBe('+500');
    expect(deltaText(-120, 'points')).toBe('-120');
    expect(deltaText(1000, 'balance')).toBe('+¥10.00');
    expect(deltaText(-1, 'balance')).toBe('-¥0.01');
  });

  it('says when points expire, and nothing when none do', () => {
    expect(expiringText({ points: 150, lastDay: '2026-03-31' })).toBe('150 积分将于 3月31日 后过期，请尽快使用');
    expect(expiringText(null)).toBeNull();
    expect(expiringText({ points: 0, lastDay: '2026-03-31' })).toBeNull();
  });

  it('the checkout rows: 可用 N 积分抵 ¥x, or why not; the balance that can be used', () => {
    expect(pointsRowText({ usable: true, maxPoints: 3000, maxAmount: 3000, reason: null, available: 5000 })).toBe(
      '可用 3000 积分抵 ¥30.00',
    );
    expect(pointsRowText({ usable: false, maxPoints: 0, maxAmount: 0, reason: '满100积分可用', available: 50 })).toBe('满100积分可用');
    expect(pointsRowText({ usable: false, maxPoints: 0, maxAmount: 0, reason: null, available: 0 })).toBe('暂无可用积分');
    expect(balanceRowText({ available: 0, maxAmount: 0 })).toBe('暂无余额');
    expect(balanceRowText({ available: 2000, maxAmount: 2000 })).toBe('可用 ¥20.00');
    expect(balanceRowText({ available: 5000, maxAmount: 2999 })).toBe('余额 ¥50.00，本单可用 ¥29.99');
  });
});
