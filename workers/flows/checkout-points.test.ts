// Points (积分抵扣) and stored balance (余额) at checkout: quoted as their own lines, spent in the
// order's batch once per Idempotency-Key, given back when an unpaid order closes and pro rata on
// an after-sales refund — each exactly once.
import { describe, expect, it } from 'vitest';
import { adminToken, api, env, staffToken } from '../../test/helpers';
import { systemCtx } from '../../test/ctx';
import { sellable, shopperWithAddress } from '../../test/shop';
import { applyAfterSale, completeRefund, review, shipOrder } from '../../test/aftersales';
import { closeUnpaidCheckout } from './payment';

type Shopper = Awaited<ReturnType<typeof shopperWithAddress>>;

async function fund(s: Shopper, points: number, balance: number) {
  const admin = await adminToken();
  if (points)
    expect(
      (await api('POST', `/admin/v1/users/${s.userId}/points`, { token: admin, body: { delta: points, reason: '测试' } })).status,
    ).toBe(201);
  if (balance)
    expect(
      (await api('POST', `/admin/v1/users/${s.userId}/wallet`, { token: admin, body: { delta: balance, reason: '测试' } })).status,
    ).toBe(201);
}
const quote = (s: Shopper, body: Record<string, unknown>) =>
  api('POST', '/store/v1/checkout/quote', { token: s.token, body: { addressId: s.addressId, ...body } });
const order = (s: Shopper, body: Record<string, unknown>, key = `k-${crypto.randomUUID()}`) =>
  api('POST', '/store/v1/orders', { token: s.token, body: { addressId: s.addressId, ...body }, headers: { 'idempotency-key': key } });
const balances = async (s: Shopper) => {
  const [p, w] = await Promise.all([
    api('GET', '/store/v1/me/points/ledger', { token: s.token }),
    api('GET', '/store/v1/me/wallet', { token: s.token }),
  ]);
  return { points: p.body.balance as number, balance: w.body.balance as number };
};
const ledgerRows = (table: 'points_ledger' | 'wallet_ledger', userId: string, reason: string) =>
  env.DB.prepare(`SELECT ref, delta FROM ${table} WHERE user_id = ? AND reason = ? ORDER BY created_at`)
    .bind(userId, reason)
    .all<{ ref: string; delta: number }>()
    .then((r) => r.results);
async function pay(s: Shopper, orderId: string, checkoutId: string) {
  const p = await api('POST', `/store/v1/orders/${orderId}/pay`, { token: s.token });
  expect(p.status, JSON.stringify(p.body)).toBe(200);
  expect((await api('POST', `/sandbox/wechatpay/transactions/${checkoutId}/pay`)).body.notification.status).toBe(204);
  return p.body.amount as number;
}

describe('points and balance at checkout', () => {
  it('the quote shows each as its own line; createOrder spends them once per Idempotency-Key; payOrder charges the rest', async () => {
    const { skuId } = await sellable(5000, 20);
    const s = await shopperWithAddress();
    await fund(s, 3000, 2000);
    const items = [{ skuId, quantity: 2 }];

    const plain = await quote(s, { items });
    expect(plain.status).toBe(200);
    expect(plain.body.points).toMatchObject({
      available: 3000,
      usable: true,
      maxPoints: 3000,
      maxAmount: 3000,
      used: 0,
      pointsPerYuan: 100,
    });
    expect(plain.body.balance).toMatchObject({ available: 2000, used: 0 });

    const q = await quote(s, { items, usePoints: 'max', useBalance: true });
    expect(q.body.points).toMatchObject({ used: 3000, amount: 3000 });
    expect(q.body.balance.used).toBe(2000);
    const g = q.body.groups[0];
    expect(g.discounts).toEqual(
      expect.arrayContaining([
        { source: 'points', sourceId: null, label: '积分抵扣（3000积分）', amount: 3000 },
        { source: 'balance', sourceId: null, label: '余额支付', amount: 2000 },
      ]),
    );
    expect(g.lines[0]).toMatchObject({ pointsUsed: 3000, pointsAmount: 3000, balanceAmount: 2000, discountShare: 5000, payable: 5000 });
    expect(q.body.payableTotal).toBe(plain.body.payableTotal - 5000);
    expect(q.body.payableTotal).toBe(q.body.goodsTotal - q.body.discountTotal + q.body.shippingTotal);

    const key = `k-${crypto.randomUUID()}`;
    const body = { items, usePoints: 'max', useBalance: true, expectedPayableTotal: q.body.payableTotal };
    const [a, b, c] = await Promise.all([order(s, body, key), order(s, body, key), order(s, body, key)]);
    expect([a, b, c].map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(new Set([a, b, c].map((r) => r.body.checkoutId)).size).toBe(1);
    const again = await order(s, body, key);
    expect(again.status).toBe(200);
    expect(await balances(s)).toEqual({ points: 0, balance: 0 });
    expect(await ledgerRows('points_ledger', s.userId, 'checkout')).toEqual([{ ref: `checkout:${a.body.checkoutId}`, delta: -3000 }]);
    expect(await ledgerRows('wallet_ledger', s.userId, 'checkout')).toEqual([{ ref: `checkout:${a.body.checkoutId}`, delta: -2000 }]);

    const o = a.body.orders[0];
    expect(o.payableTotal).toBe(q.body.payableTotal);
    expect(o.payableTotal).toBe(o.goodsTotal - o.discountTotal + o.shippingFee);
    const charged = await pay(s, o.id, a.body.checkoutId);
    expect(charged).toBe(q.body.payableTotal);
    const detail = await api('GET', `/store/v1/orders/${o.id}`, { token: s.token });
    expect(detail.body).toMatchObject({ status: 'paid', paidTotal: charged });
    expect(detail.body.discounts.map((d: { source: string }) => d.source)).toEqual(expect.arrayContaining(['points', 'balance']));
    // the spend is on the shopper's 积分明细 under 使用
    const spent = await api('GET', '/store/v1/me/points/ledger?type=spend', { token: s.token });
    expect(spent.body.items[0]).toMatchObject({ reason: 'checkout', delta: -3000 });
  });

  it('concurrent orders cannot spend the same points; the rules can turn it off; a minimum applies', async () => {
    const { skuId } = await sellable(5000, 50);
    const s = await shopperWithAddress();
    await fund(s, 250, 0);
    const items = [{ skuId, quantity: 1 }];
    const burst = await Promise.all([...Array(5).keys()].map(() => order(s, { items, usePoints: 100 })));
    expect(burst.filter((r) => r.status === 201).length).toBe(2);
    for (const r of burst.filter((x) => x.status !== 201)) expect(r.body.error.code).toBe('members.not_enough_points');
    expect((await balances(s)).points).toBe(50);
    // asked for points the shopper no longer has: refused, not placed without them at a higher price
    const late = await order(s, { items, usePoints: 100 });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'members.not_enough_points', details: { available: 50 } });
    const low = await quote(s, { items, usePoints: 'max' });
    expect(low.body.points).toMatchObject({ usable: false, used: 0, reason: '满100积分可用' });

    const admin = await adminToken();
    await fund(s, 1000, 0);
    const rules = { enabled: false, pointsPerYuan: 100, maxSharePercent: 50, minPoints: 100, expiryMonths: 12 };
    expect((await api('PUT', '/admin/v1/points-rules', { token: admin, body: rules })).status).toBe(200);
    expect((await quote(s, { items, usePoints: 'max' })).body.points).toMatchObject({
      usable: false,
      used: 0,
      reason: '本店暂未开放积分抵扣',
    });
    await api('PUT', '/admin/v1/points-rules', { token: admin, body: { ...rules, enabled: true, maxSharePercent: 10 } });
    expect((await quote(s, { items, usePoints: 'max' })).body.points).toMatchObject({ used: 500, amount: 500 });
    await api('PUT', '/admin/v1/points-rules', { token: admin, body: { ...rules, enabled: true } });
    for (const bad of [{ usePoints: -1 }, { usePoints: 'all' }, { usePoints: 1.5 }, { useBalance: 'yes' }]) {
      const r = await quote(s, { items, ...bad });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('validation.failed');
    }
  });

  it('an unpaid order that is cancelled or closes gives everything back, once', async () => {
    const { skuId } = await sellable(3000, 20);
    const s = await shopperWithAddress();
    await fund(s, 1000, 800);
    const items = [{ skuId, quantity: 1 }];
    const first = await order(s, { items, usePoints: 'max', useBalance: true });
    expect(first.status).toBe(201);
    expect(await balances(s)).toEqual({ points: 0, balance: 0 });
    const orderId = first.body.orders[0].id;
    const cancels = await Promise.all([0, 1].map(() => api('POST', `/store/v1/orders/${orderId}/cancel`, { token: s.token, body: {} })));
    expect(cancels.map((r) => r.status)).toEqual([200, 200]);
    expect(cancels[0]!.body.status).toBe('cancelled');
    expect(await balances(s)).toEqual({ points: 1000, balance: 800 });
    expect(await ledgerRows('points_ledger', s.userId, 'checkout_refund')).toEqual([{ ref: `checkout_refund:${orderId}`, delta: 1000 }]);
    expect(await ledgerRows('wallet_ledger', s.userId, 'checkout_refund')).toEqual([{ ref: `checkout_refund:${orderId}`, delta: 800 }]);

    // the payment timeout closes the next one: twice at once, given back once
    const second = await order(s, { items, usePoints: 'max', useBalance: true });
    const ctx = systemCtx();
    const closes = await Promise.all([0, 1, 2].map(() => closeUnpaidCheckout(ctx, second.body.checkoutId, 'closed', '超时未支付')));
    expect(closes.filter((r) => r === 'closed').length).toBe(1);
    expect(await balances(s)).toEqual({ points: 1000, balance: 800 });
    expect((await ledgerRows('points_ledger', s.userId, 'checkout_refund')).length).toBe(2);
  });

  it('an after-sales refund gives back the refunded units’ share of points and balance, exactly once, adding up to what was used', async () => {
    const { skuId } = await sellable(1000, 20);
    const s = await shopperWithAddress();
    await fund(s, 1000, 500);
    const o = await order(s, { items: [{ skuId, quantity: 3 }], usePoints: 'max', useBalance: true });
    expect(o.status).toBe(201);
    const orderId = o.body.orders[0].id;
    await pay(s, orderId, o.body.checkoutId);
    await shipOrder(orderId);
    const detail = await api('GET', `/store/v1/orders/${orderId}`, { token: s.token });
    const line = detail.body.lines[0];
    expect(line).toMatchObject({ discountShare: 1500, payable: 1500 });
    const support = await staffToken('support');

    const refundUnits = async (quantity: number) => {
      const a = await applyAfterSale(s.token, orderId, {
        type: 'refund_only',
        reason: '少件/漏发',
        lines: [{ orderLineId: line.id, quantity }],
      });
      expect(a.status, JSON.stringify(a.body)).toBe(201);
      const r = await review(support, a.body.id, 'approve');
      expect(r.body.status).toBe('refunding');
      const done = await Promise.all([completeRefund(r.body.refund.outRefundNo), completeRefund(r.body.refund.outRefundNo)]);
      done.forEach((d) => expect(d.body.notification.status).toBe(204));
      return { id: a.body.id as string, cash: a.body.refundAmount as number };
    };
    const one = await refundUnits(1);
    expect(one.cash).toBe(500);
    // 1 of 3 units: ⌊1000/3⌋ points and ⌊500/3⌋ fen
    expect(await balances(s)).toEqual({ points: 333, balance: 166 });
    expect(await ledgerRows('points_ledger', s.userId, 'checkout_refund')).toEqual([{ ref: `aftersale_refund:${one.id}`, delta: 333 }]);
    await completeRefund(`rf_${one.id.slice(one.id.indexOf('_') + 1)}`);
    expect(await balances(s)).toEqual({ points: 333, balance: 166 });

    const rest = await refundUnits(2);
    expect(rest.cash).toBeGreaterThanOrEqual(1000);
    // the last refund of the line gives back the remainder: the parts add up to exactly what was used
    expect(await balances(s)).toEqual({ points: 1000, balance: 500 });
    expect((await ledgerRows('wallet_ledger', s.userId, 'checkout_refund')).map((r) => r.delta)).toEqual([166, 334]);
  });
});
