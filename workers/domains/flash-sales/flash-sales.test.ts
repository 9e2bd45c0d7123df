import { describe, expect, it } from 'vitest';
import { api, env, shopperToken, staffToken } from '../../../test/helpers';
import { sellable, shopperWithAddress } from '../../../test/shop';

const buyer = async (code: string) => (await shopperWithAddress(code)).token;
import { skuStockStub } from '../../../durable-objects/sku-stock';
import { skusWithAlarms } from '../../../test/sku-stock';

// DO alarms are not reset between tests: the ones these SKUs' objects scheduled are deleted after the file
const usedSkus = skusWithAlarms();

const MIN = 60_000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();
const saleBody = (skuId: string, over: Record<string, unknown> = {}) => ({
  skuId,
  salePrice: 990,
  allocated: 10,
  perShopperLimit: 2,
  startsAt: at(-MIN),
  endsAt: at(60 * MIN),
  ...over,
});
const create = (token: string, body: unknown) => api('POST', '/admin/v1/flash-sales', { token, body });
const reserve = (token: string, saleId: string, key?: string, quantity = 1) =>
  api('POST', `/store/v1/flash-sales/${saleId}/reserve`, { token, body: { quantity }, headers: key ? { 'idempotency-key': key } : {} });

async function skuWithStock(stock: number) {
  const s = await sellable(5000, stock);
  usedSkus.add(s.skuId);
  return s;
}

describe('createFlashSale', () => {
  it('moves the allocation out of SKU stock in the ledger (ref fs:<saleId>) and into the DO', async () => {
    const { admin, skuId, productId } = await skuWithStock(50);
    const r = await create(admin, saleBody(skuId, { allocated: 20 }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ skuId, productId, allocated: 20, remaining: 20, salePrice: 990, originalPrice: 5000, state: 'live' });
    const ledger = await api('GET', `/admin/v1/skus/${skuId}/stock-ledger`, { token: admin });
    expect(ledger.body.items[0]).toMatchObject({ delta: -20, stockAfter: 30, reason: 'adjust', ref: `fs:${r.body.id}` });
    expect(ledger.body.items[0].note).toContain(r.body.id);
    const p = await api('GET', `/store/v1/products/${productId}`);
    expect(p.body.skus[0].stock).toBe(30);
    expect(await skuStockStub(env, skuId).snapshot(r.body.id)).toEqual({
      saleId: r.body.id,
      allocated: 20,
      reserved: 0,
      sold: 0,
      remaining: 20,
      closed: false,
    });
  });

  it('refuses more than the available stock and changes nothing', async () => {
    const { admin, skuId, productId } = await skuWithStock(5);
    const r = await create(admin, saleBody(skuId, { allocated: 6 }));
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('flash_sales.insufficient_stock');
    const p = await api('GET', `/store/v1/products/${productId}`);
    expect(p.body.skus[0].stock).toBe(5);
    const n = await env.DB.prepare('SELECT count(*) AS n FROM flash_sales WHERE sku_id = ?').bind(skuId).first<{ n: number }>();
    expect(n!.n).toBe(0);
    // exactly the available stock is fine
    expect((await create(admin, saleBody(skuId, { allocated: 5 }))).status).toBe(201);
    expect((await api('GET', `/store/v1/products/${productId}`)).body.skus[0].stock).toBe(0);
  });

  it('is for staff with promotions.write: a shopper gets 403, a merchant 403, nobody 401', async () => {
    const { admin, skuId } = await skuWithStock(10);
    const shopper = await create(await shopperToken('fs-not-staff'), saleBody(skuId));
    expect(shopper.status).toBe(403);
    expect(shopper.body.error.code).toBe('auth.forbidden');
    expect((await create(await staffToken('merchant', 'mch_platform'), saleBody(skuId))).status).toBe(403);
    expect((await api('POST', '/admin/v1/flash-sales', { body: saleBody(skuId) })).status).toBe(401);
    expect((await create(await staffToken('operator'), saleBody(skuId, { allocated: 1 }))).status).toBe(201);
    // nothing moved for the refused ones: only the operator's unit left stock
    const ledger = await api('GET', `/admin/v1/skus/${skuId}/stock-ledger`, { token: admin });
    expect(ledger.body.items.filter((e: any) => e.reason === 'adjust').map((e: any) => e.delta)).toEqual([-1]);
  });

  it('validates the window and the price', async () => {
    const { admin, skuId } = await skuWithStock(10);
    expect((await create(admin, saleBody(skuId, { endsAt: at(-2 * MIN) }))).status).toBe(400);
    expect((await create(admin, saleBody(skuId, { salePrice: 6000 }))).body.error.code).toBe('flash_sales.price_above_list');
    expect((await create(admin, saleBody(skuId, { allocated: 0 }))).status).toBe(400);
  });
});

describe('listFlashSales and reserveFlashSale', () => {
  it('lists live and upcoming sales with server time and remaining units', async () => {
    const { admin, skuId } = await skuWithStock(30);
    const live = (await create(admin, saleBody(skuId, { allocated: 5 }))).body;
    const upcoming = (await create(admin, saleBody(skuId, { allocated: 5, startsAt: at(30 * MIN), endsAt: at(90 * MIN) }))).body;
    const token = await buyer('fs-lister');
    expect((await reserve(token, live.id, 'list-key-0001', 2)).status).toBe(201);
    const r = await api('GET', '/store/v1/flash-sales');
    expect(r.status).toBe(200);
    expect(Math.abs(Date.parse(r.body.serverTime) - Date.now())).toBeLessThan(10_000);
    const mine = r.body.items.filter((i: any) => i.skuId === skuId);
    expect(mine.map((i: any) => [i.id, i.state, i.remaining])).toEqual([
      [live.id, 'live', 3],
      [upcoming.id, 'upcoming', 5],
    ]);
  });

  it('reserves through the DO; the same Idempotency-Key returns the same reservation', async () => {
    const { admin, skuId } = await skuWithStock(10);
    const sale = (await create(admin, saleBody(skuId, { allocated: 3, perShopperLimit: 2 }))).body;
    const token = await buyer('fs-buyer');
    const first = await reserve(token, sale.id, 'buyer-key-0001');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      saleId: sale.id,
      quantity: 1,
      status: 'pending',
      salePrice: 990,
      replayed: false,
      // answered before the order exists: the DO's outbox hands it to the queue
      order: { status: 'creating', orderId: expect.stringMatching(/^ord_/) },
    });
    const again = await reserve(token, sale.id, 'buyer-key-0001');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      reservationId: first.body.reservationId,
      replayed: true,
      order: { orderId: first.body.order.orderId },
    });
    expect((await reserve(token, sale.id, undefined)).status).toBe(400);
    expect((await reserve(token, sale.id, 'buyer-key-0002')).status).toBe(201);
    const over = await reserve(token, sale.id, 'buyer-key-0003');
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('flash_sales.limit_reached');
    expect((await reserve(await buyer('fs-buyer-2'), sale.id, 'buyer-key-0004')).status).toBe(201);
    const out = await reserve(await buyer('fs-buyer-3'), sale.id, 'buyer-key-0005');
    expect(out.status).toBe(409);
    expect(out.body.error.code).toBe('flash_sales.sold_out');
    expect(await skuStockStub(env, skuId).snapshot(sale.id)).toMatchObject({ reserved: 3, remaining: 0 });
  });

  it('refuses before the start, unknown sales, anonymous callers and staff', async () => {
    const { admin, skuId } = await skuWithStock(10);
    const sale = (await create(admin, saleBody(skuId, { startsAt: at(30 * MIN), endsAt: at(90 * MIN) }))).body;
    const token = await shopperToken('fs-early');
    const early = await reserve(token, sale.id, 'early-key-0001');
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('flash_sales.not_started');
    expect((await reserve(token, 'fls_doesnotexist00', 'early-key-0002')).status).toBe(404);
    expect(
      (
        await api('POST', `/store/v1/flash-sales/${sale.id}/reserve`, {
          body: { quantity: 1 },
          headers: { 'idempotency-key': 'anon-key-0001' },
        })
      ).status,
    ).toBe(401);
    expect((await reserve(admin, sale.id, 'staff-key-0001')).status).toBe(403);
  });

  it('end to end over HTTP: 90 concurrent reserves from 30 shoppers (limit 1) for 10 units sell exactly 10', async () => {
    const { admin, skuId } = await skuWithStock(10);
    const sale = (await create(admin, saleBody(skuId, { allocated: 10, perShopperLimit: 1 }))).body;
    const tokens = await Promise.all([...Array(30).keys()].map((i) => buyer(`fs-race-${i}`)));
    const results = await Promise.all(tokens.flatMap((t, i) => [0, 1, 2].map((k) => reserve(t, sale.id, `race-${i}-${k}-key`))));
    const won = results.filter((r) => r.status === 201);
    expect(won.length).toBe(10);
    expect(results.filter((r) => r.status === 409).length).toBe(80);
    const winners = won.map((r) => r.body.reservationId);
    expect(new Set(winners).size).toBe(10);
    // each winner holds one pending order (polling the result writes it if the queue has not yet)
    for (const w of won)
      expect(
        (
          await api('GET', `/store/v1/flash-sales/${sale.id}/reservations/${w.body.reservationId}`, {
            token: tokens[(results.indexOf(w) / 3) | 0]!,
          })
        ).body.order.status,
      ).toBe('pending_payment');
    const orders = await env.DB.prepare("SELECT count(*) AS n FROM orders WHERE promo_id = ? AND status = 'pending_payment'")
      .bind(sale.id)
      .first<{ n: number }>();
    expect(orders!.n).toBe(10);
    const list = await api('GET', '/store/v1/flash-sales');
    expect(list.body.items.find((i: any) => i.id === sale.id).remaining).toBe(0);
  });
});

describe('OpenAPI', () => {
  it('documents the flash-sale operations with their fixed operationIds', async () => {
    const doc = (await api('GET', '/openapi.json')).body;
    const ops = Object.entries(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap(([path, m]) =>
      Object.entries(m).map(([verb, op]) => `${verb} ${path} ${op.operationId}`),
    );
    expect(ops).toEqual(
      expect.arrayContaining([
        'post /admin/v1/flash-sales createFlashSale',
        'get /store/v1/flash-sales listFlashSales',
        'post /store/v1/flash-sales/{saleId}/reserve reserveFlashSale',
        'post /store/v1/flash-sales/{saleId}/token issueFlashSaleToken',
      ]),
    );
  });
});
