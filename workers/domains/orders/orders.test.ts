import { describe, expect, it } from 'vitest';
import { api, env, staffToken } from '../../../test/helpers';
import { placeOrder, sellable, shopperWithAddress } from '../../../test/shop';

async function merchantWithOrder() {
  const id = `mch_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await env.DB.prepare("INSERT INTO merchants (id, name, status, commission_bps, created_at) VALUES (?, ?, 'active', 500, 0)")
    .bind(id, id)
    .run();
  const { skuId } = await sellable(1990, 20, { merchantId: id });
  const shopper = await shopperWithAddress();
  const o = await placeOrder(shopper.token, shopper.addressId, skuId, 2);
  return {
    merchantId: id,
    orderId: o.body.orders[0].id as string,
    orderNo: o.body.orders[0].orderNo as string,
    shopper,
    staff: await staffToken('merchant', id),
  };
}

describe('orders: shopper views and admin operations', () => {
  it("lists the shopper's own orders by status, newest first, with cursor paging", async () => {
    const { skuId } = await sellable(1000, 20);
    const s = await shopperWithAddress();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await placeOrder(s.token, s.addressId, skuId, 1)).body.orders[0].id);
    const other = await shopperWithAddress();
    await placeOrder(other.token, other.addressId, skuId, 1);
    const p1 = await api('GET', '/store/v1/orders?limit=2&status=pending_payment', { token: s.token });
    const p2 = await api('GET', `/store/v1/orders?limit=2&status=pending_payment&cursor=${p1.body.nextCursor}`, { token: s.token });
    expect([...p1.body.items, ...p2.body.items].map((o: any) => o.id)).toEqual([...ids].reverse());
    expect(p2.body.nextCursor).toBeNull();
    expect((await api('GET', '/store/v1/orders?status=paid', { token: s.token })).body.items).toEqual([]);
  });

  it('the order detail shows the address snapshot, lines and timeline; staff see it too', async () => {
    const m = await merchantWithOrder();
    const d = await api('GET', `/store/v1/orders/${m.orderId}`, { token: m.shopper.token });
    expect(d.body.address).toMatchObject({ name: '张三', phone: '13800138000', province: '浙江省' });
    expect(d.body.lines[0]).toMatchObject({ unitPrice: 1990, quantity: 2, lineTotal: 3980, payable: 3980 });
    expect(d.body).toMatchObject({ promo: null, awaitingGroup: false });
    const row = await env.DB.prepare('SELECT address_enc FROM orders WHERE id = ?').bind(m.orderId).first<{ address_enc: string }>();
    expect(row!.address_enc).not.toContain('13800138000');
    const support = await staffToken('support');
    const masked = await api('GET', `/admin/v1/orders/${m.orderId}`, { token: support });
    expect(masked.body.address.phone).toBe('138****8000');
  });

  it('merchant staff see and act on their own orders only', async () => {
    const a = await merchantWithOrder();
    const b = await merchantWithOrder();
    const list = await api('GET', '/admin/v1/orders', { token: a.staff });
    expect(list.body.items.map((o: any) => o.merchantId)).toEqual([a.merchantId]);
    expect((await api('GET', `/admin/v1/orders/${b.orderId}`, { token: a.staff })).status).toBe(404);
    expect((await api('POST', `/admin/v1/orders/${b.orderId}/notes`, { token: a.staff, body: { note: '偷看' } })).status).toBe(404);
    expect(
      (await api('POST', `/admin/v1/orders/${b.orderId}/ship`, { token: a.staff, body: { carrierCode: 'SF', trackingNo: 'SF0000000001' } }))
        .status,
    ).toBe(404);
    const spoof = await api('GET', `/admin/v1/orders?merchantId=${b.merchantId}`, { token: a.staff });
    expect(spoof.body.items.every((o: any) => o.merchantId === a.merchantId)).toBe(true);
  });

  it('filters by order number, exports CSV with a BOM, records notes on the timeline', async () => {
    const m = await merchantWithOrder();
    const ops = await staffToken('operator');
    const byNo = await api('GET', `/admin/v1/orders?orderNo=${m.orderNo}`, { token: ops });
    expect(byNo.body.items.map((o: any) => o.id)).toEqual([m.orderId]);
    await api('POST', `/admin/v1/orders/${m.orderId}/notes`, { token: ops, body: { note: '=cmd|calc' } });
    const csv = await api('GET', `/admin/v1/orders/export?merchantId=${m.merchantId}`, { token: ops });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = String(csv.body);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain(`"${m.orderNo}"`);
    expect(text).toContain('"39.80"');
    const detail = await api('GET', `/admin/v1/orders/${m.orderId}`, { token: ops });
    expect(detail.body.timeline.map((e: any) => e.type)).toEqual(['created', 'note']);
  });

  it('a shopper cannot use admin order routes', async () => {
    const m = await merchantWithOrder();
    expect((await api('GET', '/admin/v1/orders', { token: m.shopper.token })).status).toBe(403);
    expect(
      (
        await api('POST', `/admin/v1/orders/${m.orderId}/ship`, {
          token: m.shopper.token,
          body: { carrierCode: 'SF', trackingNo: 'SF0000000002' },
        })
      ).status,
    ).toBe(403);
  });
});
