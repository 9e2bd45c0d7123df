import { describe, expect, it } from 'vitest';
import { api, env } from '../../test/helpers';
import { placeOrder, sellable, shopperWithAddress } from '../../test/shop';

const skuStock = async (skuId: string) =>
  (await env.DB.prepare('SELECT stock FROM skus WHERE id = ?').bind(skuId).first<{ stock: number }>())!.stock;

describe('quoteCheckout and createOrder', () => {
  it('quotes goods, shipping by region and payable in integer fen', async () => {
    const { skuId } = await sellable(4550, 10);
    const { token, addressId } = await shopperWithAddress();
    const q = await api('POST', '/store/v1/checkout/quote', { token, body: { addressId, items: [{ skuId, quantity: 2 }] } });
    expect(q.status).toBe(200);
    expect(q.body.goodsTotal).toBe(9100);
    // 2 × 500 g = 1 kg: first weight ¥8; ¥91 is under the ¥99 free-shipping line
    expect(q.body.shippingTotal).toBe(800);
    expect(q.body.groups[0].shipping.free).toBe(false);
    expect(q.body.payableTotal).toBe(9900);
    const three = await api('POST', '/store/v1/checkout/quote', { token, body: { addressId, items: [{ skuId, quantity: 3 }] } });
    expect(three.body.shippingTotal).toBe(0);
    expect(three.body.payableTotal).toBe(13650);
    const short = await api('POST', '/store/v1/checkout/quote', { token, body: { addressId, items: [{ skuId, quantity: 11 }] } });
    expect(short.body.problems).toMatchObject([{ skuId, code: 'orders.insufficient_stock' }]);
  });

  it('the same Idempotency-Key returns the same orders and reserves stock once (sequential and concurrent)', async () => {
    const { skuId } = await sellable(1000, 10);
    const { token, addressId } = await shopperWithAddress();
    const first = await placeOrder(token, addressId, skuId, 2, 'order-key-000001');
    expect(first.status).toBe(201);
    const again = await placeOrder(token, addressId, skuId, 2, 'order-key-000001');
    expect(again.status).toBe(200);
    expect(again.body.replayed).toBe(true);
    expect(again.body.orders.map((o: any) => o.id)).toEqual(first.body.orders.map((o: any) => o.id));
    expect(await skuStock(skuId)).toBe(8);

    const racing = await Promise.all(Array.from({ length: 6 }, () => placeOrder(token, addressId, skuId, 1, 'order-key-000002')));
    expect(racing.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    expect(new Set(racing.map((r) => r.body.checkoutId)).size).toBe(1);
    expect(await skuStock(skuId)).toBe(7);

    const reused = await placeOrder(token, addressId, skuId, 3, 'order-key-000001');
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('orders.idempotency_key_reused');
  });

  it('refuses an order without an Idempotency-Key', async () => {
    const { skuId } = await sellable(1000, 10);
    const { token, addressId } = await shopperWithAddress();
    const r = await api('POST', '/store/v1/orders', { token, body: { addressId, items: [{ skuId, quantity: 1 }] } });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation.failed', details: { in: 'header', issues: [{ path: 'idempotency-key' }] } });
  });

  it('50 concurrent orders for the last 5 units sell exactly 5, never below zero', async () => {
    const { skuId } = await sellable(1000, 5);
    const shoppers = await Promise.all(Array.from({ length: 10 }, () => shopperWithAddress()));
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => placeOrder(shoppers[i % 10]!.token, shoppers[i % 10]!.addressId, skuId, 1)),
    );
    const created = results.filter((r) => r.status === 201);
    expect(created).toHaveLength(5);
    expect(results.filter((r) => r.status === 409)).toHaveLength(45);
    expect(await skuStock(skuId)).toBe(0);
    const sold = await env.DB.prepare('SELECT count(*) AS n FROM order_lines WHERE sku_id = ?').bind(skuId).first<{ n: number }>();
    expect(sold!.n).toBe(5);
  });

  it('splits one checkout into one order per merchant', async () => {
    const a = await sellable(1000, 10);
    await env.DB.prepare(
      "INSERT OR IGNORE INTO merchants (id, name, status, commission_bps, created_at) VALUES ('mch_split001', 's', 'active', 500, 0)",
    ).run();
    const b = await sellable(2000, 10, { merchantId: 'mch_split001' });
    const { token, addressId } = await shopperWithAddress();
    const r = await api('POST', '/store/v1/orders', {
      token,
      body: {
        addressId,
        items: [
          { skuId: a.skuId, quantity: 1 },
          { skuId: b.skuId, quantity: 2 },
        ],
      },
      headers: { 'idempotency-key': `k-${crypto.randomUUID()}` },
    });
    expect(r.status).toBe(201);
    expect(r.body.orders.map((o: any) => [o.merchantId, o.goodsTotal]).sort()).toEqual([
      ['mch_platform', 1000],
      ['mch_split001', 4000],
    ]);
    expect(r.body.payableTotal).toBe(r.body.orders.reduce((s: number, o: any) => s + o.payableTotal, 0));
  });

  it('refuses when the total changed since the quote (expectedPayableTotal)', async () => {
    const { skuId } = await sellable(1000, 10);
    const { token, addressId } = await shopperWithAddress();
    const r = await api('POST', '/store/v1/orders', {
      token,
      body: { addressId, items: [{ skuId, quantity: 1 }], expectedPayableTotal: 1 },
      headers: { 'idempotency-key': `k-${crypto.randomUUID()}` },
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('orders.price_changed');
    expect(await skuStock(skuId)).toBe(10);
  });

  it('cancelling an unpaid order returns its stock exactly once', async () => {
    const { skuId } = await sellable(1000, 10);
    const { token, addressId } = await shopperWithAddress();
    const o = await placeOrder(token, addressId, skuId, 3);
    const orderId = o.body.orders[0].id;
    expect(await skuStock(skuId)).toBe(7);
    const [c1, c2] = await Promise.all([
      api('POST', `/store/v1/orders/${orderId}/cancel`, { token, body: {} }),
      api('POST', `/store/v1/orders/${orderId}/cancel`, { token, body: {} }),
    ]);
    expect([c1.status, c2.status]).toEqual([200, 200]);
    expect(c1.body.status).toBe('cancelled');
    expect(await skuStock(skuId)).toBe(10);
    expect(c1.body.timeline.map((e: any) => e.type)).toEqual(['created', 'cancelled']);
  });

  it('an address of another shopper cannot be used', async () => {
    const { skuId } = await sellable(1000, 10);
    const a = await shopperWithAddress();
    const b = await shopperWithAddress();
    const r = await placeOrder(b.token, a.addressId, skuId, 1);
    expect(r.status).toBe(404);
    expect(await skuStock(skuId)).toBe(10);
  });
});
