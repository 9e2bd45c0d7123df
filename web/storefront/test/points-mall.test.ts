import { describe, expect, it } from 'vitest';
import { exchangeStatusText, exchangeSummary, limitText, mallTabs, priceText, redeemButton, type MallItem } from '@/lib/points-mall';

const item = (over: Partial<MallItem> = {}): MallItem =>
  ({
    id: 'pmi_1',
    kind: 'coupon',
    title: '无门槛10元券',
    description: '',
    imageUrl: null,
    pointsPrice: 500,
    cashPrice: 0,
    freeShipping: true,
    marketPrice: null,
    stock: 10,
    sold: 0,
    limitPerUser: null,
    limitPeriod: 'ever',
    startsAt: null,
    endsAt: null,
    state: 'live',
    minTierId: null,
    target: { skuId: null, couponTemplateId: 'cpt_1', lotteryId: null, chances: null },
    me: { remaining: null, tierOk: true },
    ...over,
  }) as MallItem;

describe('points mall texts', () => {
  it('prices points, or points + cash', () => {
    expect(priceText(item())).toBe('500积分');
    expect(priceText(item({ pointsPrice: 1500, cashPrice: 2990 }))).toBe('1500积分 + ¥29.90');
    expect(priceText(item({ pointsPrice: 100, cashPrice: 50 }), 2)).toBe('200积分 + ¥1.00');
  });

  it('reads the limit with what is left', () => {
    expect(limitText(item())).toBeNull();
    expect(limitText(item({ limitPerUser: 2, limitPeriod: 'day', me: { remaining: 1, tierOk: true } }))).toBe('每人每天限兑2件，还可兑1件');
    expect(limitText(item({ limitPerUser: 1, me: null }))).toBe('每人限兑1件');
  });

  it('tabs: 全部 then the kinds that have items', () => {
    expect(
      mallTabs({
        kinds: [
          { kind: 'goods', count: 2 },
          { kind: 'coupon', count: 1 },
        ],
      }).map((t) => t.text),
    ).toEqual(['全部', '实物好礼', '优惠券']);
  });
});

describe('redeemButton', () => {
  it('says why an item cannot be exchanged, in order', () => {
    expect(redeemButton(item({ state: 'upcoming' }), 1000).text).toBe('即将开始');
    expect(redeemButton(item({ state: 'ended' }), 1000).text).toBe('已结束');
    expect(redeemButton(item({ stock: 0 }), 1000).text).toBe('已兑完');
    expect(redeemButton(item({ me: { remaining: null, tierOk: false } }), 1000).text).toBe('会员专享');
    expect(redeemButton(item({ me: { remaining: 0, tierOk: true } }), 1000).text).toBe('已达兑换上限');
    expect(redeemButton(item(), 499)).toEqual({ text: '积分不足', ready: false, reason: '积分不足，还差1积分' });
    expect(redeemButton(item(), 500)).toEqual({ text: '立即兑换', ready: true });
    // not signed in: the server decides after login
    expect(redeemButton(item({ me: null }), null).ready).toBe(true);
  });
});

describe('exchange records', () => {
  const x = {
    kind: 'goods' as const,
    chances: null,
    quantity: 1,
    status: 'pending_payment' as const,
    order: { id: 'ord_1', orderNo: '1', status: 'pending_payment', payableTotal: 2990, expiresAt: null },
  };
  it('summarises what the shopper got and where the order is', () => {
    expect(exchangeSummary(x)).toBe('待支付 ¥29.90');
    expect(exchangeStatusText(x)).toBe('待支付');
    expect(exchangeStatusText({ status: 'completed', order: { ...x.order, status: 'paid' } })).toBe('待发货');
    expect(exchangeStatusText({ status: 'completed', order: { ...x.order, status: 'shipped' } })).toBe('已发货');
    expect(exchangeSummary({ ...x, status: 'cancelled' })).toBe('订单未支付已取消，积分已退回');
    expect(exchangeSummary({ kind: 'coupon', chances: null, quantity: 2, status: 'completed', order: null })).toBe(
      '2张优惠券已放入「我的优惠券」',
    );
    expect(exchangeSummary({ kind: 'lottery_chance', chances: 3, quantity: 1, status: 'completed', order: null })).toBe(
      '已获得3次抽奖机会',
    );
  });
});
