import { describe, expect, it } from 'vitest';
import {
  OrderAttempt,
  addressProblem,
  amountRows,
  buyNowItems,
  couponRowText,
  couponSaving,
  couponSlot,
  fullAddress,
  maskPhone,
  paymentCancelled,
  pollUntil,
  sandboxTradeNo,
  sortCouponOptions,
  toggleCoupon,
} from '@/lib/checkout';
import { couponOption } from './fixtures';

describe('buy now', () => {
  it('reads ?skuId=&qty= into one line, cart checkout otherwise', () => {
    expect(buyNowItems({})).toBeUndefined();
    expect(buyNowItems({ skuId: ' ' })).toBeUndefined();
    expect(buyNowItems({ skuId: 'sku_1', qty: '3' })).toEqual([{ skuId: 'sku_1', quantity: 3 }]);
    expect(buyNowItems({ skuId: 'sku_1' })).toEqual([{ skuId: 'sku_1', quantity: 1 }]);
    expect(buyNowItems({ skuId: 'sku_1', qty: 'x' })).toEqual([{ skuId: 'sku_1', quantity: 1 }]);
    expect(buyNowItems({ skuId: 'sku_1', qty: '5000' })).toEqual([{ skuId: 'sku_1', quantity: 999 }]);
  });
});

describe('amount rows', () => {
  it('lists goods, every discount, shipping before its coupon, and the total', () => {
    const rows = amountRows({
      goodsTotal: 8900,
      discounts: [
        { source: 'limited_time', label: '限时8折', amount: 1780 },
        { source: 'coupon', label: '无门槛5元', amount: 500 },
        { source: 'shipping_coupon', label: '运费券', amount: 800 },
      ],
      shippingPayable: 0,
      total: 6620,
    });
    expect(rows.map((r) => [r.label, r.amount])).toEqual([
      ['商品总额', 8900],
      ['限时8折', -1780],
      ['无门槛5元', -500],
      ['运费券', -800],
      ['运费', 800],
      ['实付款', 6620],
    ]);
    // goods + discounts + shipping = total
    expect(rows.filter((r) => r.kind !== 'total').reduce((s, r) => s + r.amount, 0)).toBe(6620);
  });

  it('says 包邮 for free shipping and adds what was refunded', () => {
    const rows = amountRows({ goodsTotal: 1000, discounts: [], shippingPayable: 0, total: 1000, totalLabel: '需付款', refunded: 300 });
    expect(rows.find((r) => r.key === 'shipping')!.note).toBe('包邮');
    expect(rows.find((r) => r.key === 'total')!.label).toBe('需付款');
    expect(rows.at(-1)).toMatchObject({ label: '已退款', amount: 300 });
  });
});

describe('coupons', () => {
  it('the coupon row shows the saving, else how many can be used', () => {
    const groups = [
      {
        discounts: [
          { source: 'limited_time', label: 'x', amount: 100 },
          { source: 'coupon', label: 'c', amount: 500 },
          { source: 'shipping_coupon', label: 's', amount: 800 },
        ],
      },
    ];
    expect(couponSaving(groups)).toBe(1300);
    expect(couponRowText({ appliedIds: ['a'], suggestedIds: [], options: [] }, 1300)).toEqual({ text: '-¥13.00', active: true });
    expect(
      couponRowText({ appliedIds: [], suggestedIds: [], options: [couponOption(), couponOption({ couponId: 'b', usable: false })] }, 0),
    ).toEqual({ text: '1张可用', active: false });
    expect(couponRowText({ appliedIds: [], suggestedIds: [], options: [couponOption({ usable: false })] }, 0).text).toBe('无可用');
  });

  it('ticking replaces a coupon of the same slot and keeps the others', () => {
    const p1 = couponOption({ couponId: 'p1' });
    const p2 = couponOption({ couponId: 'p2' });
    const shop = couponOption({ couponId: 's1', merchantId: 'mch_tea' });
    const ship = couponOption({ couponId: 'f1', kind: 'free_shipping' });
    const all = [p1, p2, shop, ship];
    expect(couponSlot(p1)).toBe('platform');
    expect(couponSlot(shop)).toBe('shop:mch_tea');
    expect(couponSlot(ship)).toBe('shipping');
    expect(toggleCoupon(['p1', 's1'], p2, all)).toEqual(['s1', 'p2']);
    expect(toggleCoupon(['p1'], ship, all)).toEqual(['p1', 'f1']);
    expect(toggleCoupon(['p1', 'f1'], p1, all)).toEqual(['f1']);
    expect(toggleCoupon([], couponOption({ couponId: 'x', usable: false }), all)).toEqual([]);
  });

  it('sorts usable coupons (applied, suggested, expiring first) above the others', () => {
    const r = sortCouponOptions([
      couponOption({ couponId: 'late', validTo: '2027-01-01T00:00:00Z' }),
      couponOption({ couponId: 'no', usable: false }),
      couponOption({ couponId: 'soon', validTo: '2026-12-05T00:00:00Z' }),
      couponOption({ couponId: 'applied', applied: true, validTo: '2027-02-01T00:00:00Z' }),
    ]);
    expect(r.usable.map((c) => c.couponId)).toEqual(['applied', 'soon', 'late']);
    expect(r.unusable.map((c) => c.couponId)).toEqual(['no']);
  });
});

describe('order attempt key', () => {
  it('is the same for a retry of the same request, new for a changed one or after settling', () => {
    let n = 0;
    const a = new OrderAttempt(() => `key-${++n}`);
    const body = { addressId: 'adr_1', couponIds: ['c'], expectedPayableTotal: 100 };
    expect(a.keyFor(body)).toBe('key-1');
    expect(a.keyFor({ ...body })).toBe('key-1');
    expect(a.keyFor({ ...body, expectedPayableTotal: 90 })).toBe('key-2');
    a.settle();
    expect(a.keyFor({ ...body, expectedPayableTotal: 90 })).toBe('key-3');
  });

  it('makes keys the API accepts by default', () => {
    expect(new OrderAttempt().keyFor({})).toMatch(/^[\w.:-]{8,100}$/);
  });
});

describe('payment', () => {
  it('takes the trade number out of the sandbox path', () => {
    expect(sandboxTradeNo('/sandbox/wechatpay/transactions/chk_abc123/pay')).toBe('chk_abc123');
    expect(sandboxTradeNo('http://localhost:8787/sandbox/wechatpay/transactions/chk_1/pay')).toBe('chk_1');
    expect(sandboxTradeNo(undefined)).toBeNull();
    expect(sandboxTradeNo('/something/else')).toBeNull();
  });

  it('tells a closed cashier from a failure', () => {
    expect(paymentCancelled({ errMsg: 'requestPayment:fail cancel' })).toBe(true);
    expect(paymentCancelled({ errMsg: 'requestPayment:fail (detail message)' })).toBe(false);
    expect(paymentCancelled(undefined)).toBe(false);
  });

  it('polls until done, skipping failed polls', async () => {
    let t = 0;
    let n = 0;
    const r = await pollUntil(
      async () => {
        n++;
        if (n === 2) throw new Error('blip');
        return n >= 4 ? 'paid' : 'pending_payment';
      },
      (s) => s === 'paid',
      { everyMs: 700, timeoutMs: 20_000, sleep: async (ms) => void (t += ms), now: () => t },
    );
    expect(r).toEqual({ result: 'paid', ok: true });
    expect(t).toBe(2100);
  });

  it('gives up after the timeout with the last answer', async () => {
    let t = 0;
    const r = await pollUntil(
      async () => 'pending_payment',
      (s) => s === 'paid',
      { everyMs: 700, timeoutMs: 2000, sleep: async (ms) => void (t += ms), now: () => t },
    );
    expect(r).toEqual({ result: 'pending_payment', ok: false });
    expect(t).toBeLessThanOrEqual(2000);
  });
});

describe('addresses', () => {
  it('masks a mainland mobile number, leaves others alone', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('138****8000')).toBe('138****8000');
    expect(maskPhone('021-1234567')).toBe('021-1234567');
  });

  it('writes the full address, a municipality once', () => {
    expect(fullAddress({ province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' })).toBe(
      '浙江省杭州市西湖区 文三路 100 号',
    );
    expect(fullAddress({ province: '上海市', city: '上海市', district: '浦东新区', detail: '世纪大道 88 号' })).toBe(
      '上海市浦东新区 世纪大道 88 号',
    );
  });

  it('checks a form the way the API does', () => {
    const ok = { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' };
    expect(addressProblem(ok)).toBeNull();
    expect(addressProblem({ ...ok, name: ' ' })).toBe('请填写收货人');
    expect(addressProblem({ ...ok, phone: '12345' })).toBe('请填写正确的11位手机号');
    expect(addressProblem({ ...ok, phone: '12800138000' })).toBe('请填写正确的11位手机号');
    expect(addressProblem({ ...ok, city: '' })).toBe('请填写城市');
    expect(addressProblem({ ...ok, detail: '一' })).toBe('请填写详细地址');
    expect(addressProblem({ ...ok, detail: '路'.repeat(121) })).toBe('详细地址最多120个字');
  });
});
