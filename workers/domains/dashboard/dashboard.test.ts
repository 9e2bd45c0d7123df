import { describe, expect, it } from 'vitest';
import { api, adminToken, shopperToken, staffToken } from '../../../test/helpers';
import { makeCategoryTree, makeProduct } from '../../../test/catalog';
import { sellable, shopperWithAddress } from '../../../test/shop';
import { skusWithAlarms } from '../../../test/sku-stock';
import { applyAfterSale, completeRefund, makeMerchant, paidOrder, review, shipOrder } from '../../../test/aftersales';
import { shanghaiDate, shanghaiDayStart } from './dashboard.service';

const dashboard = (token: string, query = '') => api('GET', `/admin/v1/dashboard${query}`, { token });
const usedSkus = skusWithAlarms();

describe('getDashboard', () => {
  it("today's figures for a paid order, scoped to the merchant; other merchants see nothing of it", async () => {
    const merchantId = await makeMerchant();
    const m = await staffToken('merchant', merchantId);
    const empty = await dashboard(m);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({
      scope: { merchantId },
      timezone: 'Asia/Shanghai',
      today: { gmv: 0, paidOrders: 0, payingShoppers: 0, aov: 0, refunds: { count: 0, amount: 0 } },
      pendingShipments: 0,
      lowStockAlerts: 0,
    });

    const shopper = await shopperWithAddress();
    const o1 = await paidOrder({ price: 1000, qty: 3, merchantId, shopper });
    const o2 = await paidOrder({ price: 2500, qty: 1, merchantId, shopper });
    const gmv = o1.paidTotal + o2.paidTotal;
    const r = await dashboard(m);
    expect(r.body.today).toMatchObject({ gmv, paidOrders: 2, payingShoppers: 1, aov: Math.round(gmv / 2) });
    expect(r.body.pendingShipments).toBe(2);
    expect(r.body.day).toBe(shanghaiDate(Date.now()));
    expect(r.body.series).toHaveLength(7);
    expect(r.body.series.at(-1)).toEqual({ day: r.body.day, gmv, orders: 2 });
    expect(r.body.series.slice(0, 6).every((d: { gmv: number; orders: number }) => d.gmv === 0 && d.orders === 0)).toBe(true);

    // another merchant sees only its own (nothing)
    const other = await staffToken('merchant', await makeMerchant());
    const o = await dashboard(other);
    expect(o.body.today).toMatchObject({ gmv: 0, paidOrders: 0 });
    expect(o.body.series.at(-1).gmv).toBe(0);

    // the platform sees everything, this merchant's orders included
    const admin = await dashboard(await adminToken());
    expect(admin.body.scope.merchantId).toBeNull();
    expect(admin.body.today.gmv).toBeGreaterThanOrEqual(gmv);
    expect(admin.body.today.paidOrders).toBeGreaterThanOrEqual(2);

    // shipping one takes it off the backlog
    await shipOrder(o1.orderId);
    expect((await dashboard(m)).body.pendingShipments).toBe(1);
  });

  it("counts today's refunds and the merchant's open low-stock alerts", async () => {
    const merchantId = await makeMerchant();
    const m = await staffToken('merchant', merchantId);
    const o = await paidOrder({ price: 1500, qty: 2, merchantId });
    await shipOrder(o.orderId);
    const a = await applyAfterSale(o.token, o.orderId, {
      type: 'refund_only',
      reason: '少件/漏发',
      lines: [{ orderLineId: o.lineId, quantity: 1 }],
    });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    const rv = await review(m, a.body.id, 'approve');
    expect(rv.body.status).toBe('refunding');
    await completeRefund(rv.body.refund.outRefundNo);
    const r = await dashboard(m);
    expect(r.body.today.refunds).toEqual({ count: 1, amount: a.body.refundAmount });
    expect(r.body.today.gmv).toBe(o.paidTotal); // GMV stays gross

    const admin = await adminToken();
    const { l3 } = await makeCategoryTree(admin);
    const p = await makeProduct(admin, l3, { merchantId });
    const adj = await api('POST', `/admin/v1/skus/${p.skus[0].id}/stock-adjustments`, {
      token: m,
      body: { setTo: 2, reason: 'stocktake' },
    });
    expect(adj.body.alertRaised).toBe(true);
    expect((await dashboard(m)).body.lowStockAlerts).toBe(1);
    expect((await dashboard(await staffToken('merchant', await makeMerchant()))).body.lowStockAlerts).toBe(0);
  });

  it('days sets the series length (1–30); needs orders.read', async () => {
    const admin = await adminToken();
    const r = await dashboard(admin, '?days=30');
    expect(r.body.series).toHaveLength(30);
    const start = shanghaiDayStart(Date.now());
    expect(r.body.series[0].day).toBe(shanghaiDate(start - 29 * 86_400_000));
    expect((await dashboard(admin, '?days=1')).body.series).toHaveLength(1);
    expect((await dashboard(admin, '?days=0')).status).toBe(400);
    expect((await dashboard(admin, '?days=31')).status).toBe(400);
    expect((await dashboard(await staffToken('support'))).status).toBe(200);
    expect((await dashboard(await shopperToken('dash-shopper'))).status).toBe(403);
    expect((await api('GET', '/admin/v1/dashboard')).status).toBe(401);
  });

  it('the Asia/Shanghai day starts at 16:00 UTC', () => {
    const t = Date.parse('2026-11-25T15:59:59.999Z');
    expect(shanghaiDate(t)).toBe('2026-11-25');
    expect(shanghaiDate(t + 1)).toBe('2026-11-26');
    expect(shanghaiDayStart(t + 1)).toBe(Date.parse('2026-11-25T16:00:00Z'));
    expect(shanghaiDayStart(t)).toBe(Date.parse('2026-11-24T16:00:00Z'));
  });
});

describe('console lists of flash sales and group buys', () => {
  const at = (ms: number) => new Date(Date.now() + ms).toISOString();

  it('listAdminFlashSales shows the remaining units the DO reports', async () => {
    const { admin, skuId } = await sellable(5000, 50);
    usedSkus.add(skuId);
    const sale = await api('POST', '/admin/v1/flash-sales', {
      token: admin,
      body: { skuId, salePrice: 990, allocated: 10, perShopperLimit: 2, startsAt: at(-60_000), endsAt: at(3600_000) },
    });
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
    const shopper = await shopperWithAddress();
    const res = await api('POST', `/store/v1/flash-sales/${sale.body.id}/reserve`, {
      token: shopper.token,
      body: { quantity: 2 },
      headers: { 'idempotency-key': `k-${crypto.randomUUID()}` },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const op = await staffToken('operator');
    const list = await api('GET', '/admin/v1/flash-sales', { token: op });
    expect(list.status).toBe(200);
    const item = list.body.items.find((s: { id: string }) => s.id === sale.body.id);
    expect(item).toMatchObject({ skuId, allocated: 10, remaining: 8, state: 'live', status: 'active' });
    expect(list.body.serverTime).toBeTruthy();
    expect(
      (await api('GET', '/admin/v1/flash-sales?state=upcoming', { token: op })).body.items.find(
        (s: { id: string }) => s.id === sale.body.id,
      ),
    ).toBeUndefined();
    expect((await api('GET', '/admin/v1/flash-sales?state=live&limit=1', { token: op })).body.items).toHaveLength(1);
    expect((await api('GET', '/admin/v1/flash-sales', { token: await staffToken('support') })).status).toBe(403);
  });

  it('listAdminGroupBuys shows remaining units and team counts', async () => {
    const { admin, skuId } = await sellable(5000, 50);
    usedSkus.add(skuId);
    const deal = await api('POST', '/admin/v1/group-buys', {
      token: admin,
      body: { skuId, groupPrice: 3990, groupSize: 2, allocated: 6, startsAt: at(-60_000), endsAt: at(3600_000) },
    });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    const list = await api('GET', '/admin/v1/group-buys', { token: admin });
    expect(list.status).toBe(200);
    const item = list.body.items.find((d: { id: string }) => d.id === deal.body.id);
    expect(item).toMatchObject({ skuId, allocated: 6, remaining: 6, state: 'live', status: 'active', groupSize: 2 });
    expect(item.teams).toMatchObject({ forming: 0, open: 0 });
    expect((await api('GET', '/admin/v1/group-buys', { token: await staffToken('support') })).status).toBe(403);
  });
});
