import { describe, expect, it } from 'vitest';
import { api, env } from '../../test/helpers';
import { sellable, shopperWithAddress } from '../../test/shop';
import { systemCtx } from '../../test/ctx';
import { skuStockStub } from '../../durable-objects/sku-stock';
import { reconcileFlashSale, reconcileFlashSales } from './flash-reconcile';
import { skusWithAlarms } from '../../test/sku-stock';

// DO alarms are not reset between tests: the ones these SKUs' objects scheduled are deleted after the file
const usedSkus = skusWithAlarms();

const MIN = 60_000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();
const key = () => `k-${crypto.randomUUID()}`;
const skuStock = async (skuId: string) =>
  (await env.DB.prepare('SELECT stock FROM skus WHERE id = ?').bind(skuId).first<{ stock: number }>())!.stock;

/** Reserves and polls the result, so the D1 order exists. */
async function reserved(token: string, saleId: string, quantity: number) {
  const r = await api('POST', `/store/v1/flash-sales/${saleId}/reserve`, {
    token,
    body: { quantity },
    headers: { 'idempotency-key': key() },
  });
  expect(r.status).toBe(201);
  const p = await api('GET', `/store/v1/flash-sales/${saleId}/reservations/${r.body.reservationId}`, { token });
  expect(p.status).toBe(200);
  return p.body;
}

async function saleWithOrders() {
  const s = await sellable(5000, 20);
  usedSkus.add(s.skuId);
  const sale = (
    await api('POST', '/admin/v1/flash-sales', {
      token: s.admin,
      body: { skuId: s.skuId, salePrice: 990, allocated: 10, perShopperLimit: 3, startsAt: at(-30 * MIN), endsAt: at(30 * MIN) },
    })
  ).body;
  const shoppers = await Promise.all([0, 1, 2].map(() => shopperWithAddress()));
  const orders = [];
  for (const sh of shoppers) orders.push({ ...sh, r: await reserved(sh.token, sale.id, 2) });
  // one paid, one cancelled, one left pending
  await api('POST', `/store/v1/orders/${orders[0]!.r.order.orderId}/pay`, { token: orders[0]!.token });
  await api('POST', `/sandbox/wechatpay/transactions/${orders[0]!.r.order.checkoutId}/pay`);
  await api('POST', `/store/v1/orders/${orders[1]!.r.order.orderId}/cancel`, { token: orders[1]!.token, body: {} });
  return { ...s, sale, orders };
}

describe('flash-sale reconciliation', () => {
  it('agrees with the DO after a normal run and records the D1 view', async () => {
    const { admin, sale } = await saleWithOrders();
    const r = await api('POST', `/admin/v1/flash-sales/${sale.id}/reconcile`, { token: admin });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      agree: true,
      do: { reserved: 2, sold: 2, remaining: 6 },
      d1: { pendingUnits: 2, soldUnits: 2 },
      repaired: { confirmed: 0, released: 0, refunded: 0, ordersWritten: 0 },
      returnedUnits: null,
    });
    const row = await env.DB.prepare('SELECT sold_units, reserved_units, reconciled_at FROM flash_sales WHERE id = ?')
      .bind(sale.id)
      .first<any>();
    expect(row).toMatchObject({ sold_units: 2, reserved_units: 2 });
    expect(row.reconciled_at).toBeGreaterThan(0);
    const shopper = await shopperWithAddress();
    expect((await api('POST', `/admin/v1/flash-sales/${sale.id}/reconcile`, { token: shopper.token })).status).toBe(403);
  });

  it('repairs drift: a lost release, a lost confirmation and an orphan reservation', async () => {
    const { skuId, sale, orders } = await saleWithOrders();
    const stub = skuStockStub(env, skuId);
    // lost confirmation: the pending order is marked paid in D1 while the DO still holds it pending
    await env.DB.prepare("UPDATE orders SET status = 'paid', paid_at = ?, paid_total = payable_total WHERE id = ?")
      .bind(Date.now(), orders[2]!.r.order.orderId)
      .run();
    // orphans: reservations whose order message was lost — one from a shopper with an address
    // (its order is written now), one from a shopper id with none (its units go back)
    const lost = await shopperWithAddress();
    const lostUser = (await api('GET', '/store/v1/me', { token: lost.token })).body.id;
    const orphan = await stub.reserve({
      saleId: sale.id,
      shopperId: lostUser,
      quantity: 1,
      idempotencyKey: 'orphan-key-1',
      now: Date.now() - 10 * MIN,
    });
    const hopeless = await stub.reserve({
      saleId: sale.id,
      shopperId: 'usr_nobody',
      quantity: 1,
      idempotencyKey: 'orphan-key-2',
      now: Date.now() - 10 * MIN,
    });
    expect(orphan.ok && hopeless.ok).toBe(true);
    // lost release: a fresh order closed in D1 only
    const late = await shopperWithAddress();
    const lr = await reserved(late.token, sale.id, 1);
    await env.DB.prepare("UPDATE orders SET status = 'closed', closed_at = ? WHERE id = ?").bind(Date.now(), lr.order.orderId).run();
    await env.DB.prepare("UPDATE checkouts SET status = 'closed' WHERE id = ?").bind(lr.order.checkoutId).run();

    const before = await stub.snapshot(sale.id);
    expect(before).toMatchObject({ reserved: 5, sold: 2 });
    const report = await reconcileFlashSale(systemCtx(), sale.id);
    expect(report.repaired).toEqual({ confirmed: 1, released: 2, refunded: 0, ordersWritten: 1 });
    expect(report).toMatchObject({ agree: true, do: { reserved: 1, sold: 4, remaining: 5 }, d1: { pendingUnits: 1, soldUnits: 4 } });
    const written = await env.DB.prepare('SELECT status FROM orders WHERE hold_id = ?')
      .bind(orphan.ok ? orphan.reservation.id : '')
      .first();
    expect(written).toEqual({ status: 'pending_payment' });
    // running it again finds nothing to repair
    expect((await reconcileFlashSale(systemCtx(), sale.id)).repaired).toEqual({ confirmed: 0, released: 0, refunded: 0, ordersWritten: 0 });
  });

  it('after the end returns the unsold units to normal stock exactly once, and closes the pool', async () => {
    const { skuId, sale, orders } = await saleWithOrders();
    const stockBefore = await skuStock(skuId);
    const afterEnd = Date.parse(sale.endsAt) + 1000;
    // a pending order blocks the return: it may still be paid
    const blocked = await reconcileFlashSale(systemCtx(afterEnd), sale.id);
    expect(blocked.returnedUnits).toBeNull();
    await api('POST', `/store/v1/orders/${orders[2]!.r.order.orderId}/cancel`, { token: orders[2]!.token, body: {} });
    const results = await Promise.all([reconcileFlashSale(systemCtx(afterEnd), sale.id), reconcileFlashSale(systemCtx(afterEnd), sale.id)]);
    expect(results.map((r) => r.returnedUnits)).toEqual([8, 8]);
    await reconcileFlashSales(systemCtx(afterEnd));
    expect(await skuStock(skuId)).toBe(stockBefore + 8);
    const ledger = await env.DB.prepare('SELECT count(*) AS n FROM stock_ledger WHERE ref = ?')
      .bind(`fs-ret:${sale.id}`)
      .first<{ n: number }>();
    expect(ledger!.n).toBe(1);
    expect(await skuStockStub(env, skuId).snapshot(sale.id)).toMatchObject({ sold: 2, remaining: 0, closed: true });
    // a late payment can no longer take a unit from the closed pool
    const r = await skuStockStub(env, skuId).confirm(orders[2]!.r.reservationId);
    expect(r).toMatchObject({ ok: false, reason: 'closed' });
  });
});
