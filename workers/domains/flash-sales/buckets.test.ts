// A flash sale split over N bucket Durable Objects (bench/SCALE.md 4), in workerd with real objects:
// the same races as the one-object tests, sent through the router, must still take exactly the
// allocation with nobody above the limit, and every follow-up call must land in the right bucket.
import { createExecutionContext, createMessageBatch, getQueueResult, runDurableObjectAlarm } from 'cloudflare:test';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { api, env } from '../../../test/helpers';
import { sellable, shopperWithAddress } from '../../../test/shop';
import { systemCtx } from '../../../test/ctx';
import { runInSkuStock, skusWithAlarms } from '../../../test/sku-stock';
import { saleBucketStub, skuStockStub, type SkuStock } from '../../../durable-objects/sku-stock';
import { AppError } from '../../shared/errors';
import { getSaleRow, reserveUnits, saleSnapshot } from './flash-sales.service';
import { configOf } from './buckets';
import { bucketOf, bucketShares } from './rules';
import { reconcileFlashSale } from '../../flows/flash-reconcile';
import { handleQueueBatch } from '../../queue';

// DO alarms are not reset between tests: the SKUs' objects (and buckets) are cleaned after the file
const usedSkus = skusWithAlarms();
const usedBuckets: { id: string; skuId: string; buckets: number }[] = [];
afterAll(async () => {
  for (const sale of usedBuckets)
    for (let b = 0; b < sale.buckets; b++) await runInSkuStock(saleBucketStub(env, sale, b), (_i, state) => state.storage.deleteAlarm());
});

const MIN = 60_000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();
const key = () => `k-${crypto.randomUUID()}`;

type Sale = { id: string; skuId: string; buckets: number; allocated: number; endsAt: string };

async function bucketSale(over: Record<string, unknown>, stock = 200) {
  const s = await sellable(5000, stock);
  usedSkus.add(s.skuId);
  const r = await api('POST', '/admin/v1/flash-sales', {
    token: s.admin,
    body: { skuId: s.skuId, salePrice: 990, allocated: 100, perShopperLimit: 2, startsAt: at(-MIN), endsAt: at(60 * MIN), ...over },
  });
  expect(r.status).toBe(201);
  const sale = r.body as Sale;
  usedBuckets.push(sale);
  return { ...s, sale };
}

const stubOf = (sale: Sale, b: number) => saleBucketStub(env, sale, b);

/** Every pending or confirmed row in every bucket of the sale, with the bucket it is stored in. */
async function storedHolds(sale: Sale) {
  const rows = await Promise.all(
    [...Array(sale.buckets).keys()].map((b) =>
      runInSkuStock(stubOf(sale, b), (_i: SkuStock, state) =>
        state.storage.sql
          .exec<{ id: string; shopper_id: string; quantity: number; status: string }>(
            `SELECT id, shopper_id, quantity, status FROM reservations WHERE sale_id = ? AND status IN ('pending', 'confirmed')`,
            sale.id,
          )
          .toArray()
          .map((r) => ({ ...r, bucket: b })),
      ),
    ),
  );
  return rows.flat();
}

function perShopper(rows: { shopper_id: string; quantity: number }[]) {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r.shopper_id, (m.get(r.shopper_id) ?? 0) + r.quantity);
  return m;
}

/** Reserves for `shopperId` through the router; null for a refusal (sold out, limit). */
const tryReserve = (row: Awaited<ReturnType<typeof getSaleRow>>, shopperId: string, idempotencyKey = key()) =>
  reserveUnits(systemCtx(), row, { shopperId, idempotencyKey, quantity: 1 }).then(
    (o) => o.reservation,
    (e) => {
      if (e instanceof AppError && (e.code === 'flash_sales.sold_out' || e.code === 'flash_sales.limit_reached')) return null;
      throw e;
    },
  );

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a sale with N bucket objects', () => {
  it('names its objects per sale and bucket, configures each with its share, and lists their sum', async () => {
    const { admin, sale } = await bucketSale({ allocated: 10, buckets: 4 });
    expect(sale).toMatchObject({ buckets: 4, allocated: 10, remaining: 10 });
    const snaps = await Promise.all([0, 1, 2, 3].map((b) => stubOf(sale, b).snapshot(sale.id)));
    expect(snaps.map((s) => s?.allocated)).toEqual([3, 3, 2, 2]);
    // the SKU's own object holds no reservations pool for a bucketed sale
    expect(await skuStockStub(env, sale.skuId).snapshot(sale.id)).toBeNull();
    const listed = (await api('GET', '/store/v1/flash-sales')).body.items.find((i: any) => i.id === sale.id);
    expect(listed).toMatchObject({ buckets: 4, remaining: 10 });
    const console = (await api('GET', '/admin/v1/flash-sales?limit=100', { token: admin })).body.items.find((i: any) => i.id === sale.id);
    expect(console).toMatchObject({ buckets: 4, remaining: 10 });
    // N is checked: 1–16 and never more than the units
    const bad = async (over: Record<string, unknown>) =>
      (
        await api('POST', '/admin/v1/flash-sales', {
          token: admin,
          body: { skuId: sale.skuId, salePrice: 990, allocated: 5, startsAt: at(MIN), endsAt: at(2 * MIN), ...over },
        })
      ).status;
    expect(await bad({ buckets: 0 })).toBe(400);
    expect(await bad({ buckets: 17 })).toBe(400);
    expect(await bad({ buckets: 6 })).toBe(400);
    expect(await bad({ buckets: 2.5 })).toBe(400);
  });

  for (const buckets of [4, 16])
    it(`2,000 concurrent reserves from 400 shoppers (limit 2) for 100 units through the router with a reclaim round mid-burst, N = ${buckets}`, async () => {
      const { sale } = await bucketSale({ allocated: 100, perShopperLimit: 2, buckets });
      const row = await getSaleRow(systemCtx(), sale.id);
      const shoppers = [...Array(400).keys()].map((s) => `usr_b${buckets}_${s}`);
      const reqs = shoppers.flatMap((shopperId, s) => [...Array(5).keys()].map((k) => ({ shopperId, idempotencyKey: `key-${s}-${k}` })));
      const [order] = fc.sample(fc.shuffledSubarray(reqs, { minLength: reqs.length, maxLength: reqs.length }), {
        numRuns: 1,
        seed: buckets,
      });
      const first = order!.slice(0, 1000).map((r) => tryReserve(row, r.shopperId, r.idempotencyKey));
      // mid-burst, bucket 0 reports itself dry: the coordinator runs a reclaim round over the others
      const round = skuStockStub(env, sale.skuId).refillBucket({
        config: { ...configOf(row), allocated: 100 },
        info: { skuId: sale.skuId, bucket: 0, buckets, allocated: 100 },
        need: 1,
        free: 0,
      });
      const rest = order!.slice(1000).map((r) => tryReserve(row, r.shopperId, r.idempotencyKey));
      const [burst] = await Promise.all([Promise.all([...first, ...rest]), round]);
      let won = burst.filter((r) => r !== null);
      expect(won.length).toBeLessThanOrEqual(100);
      // units the round moved may wait in the pool or a quiet bucket: late-comers take every one, and no more
      for (let wave = 0; wave < 12 && won.length < 100; wave++) {
        await later(300);
        const late = await Promise.all([...Array(40).keys()].map((i) => tryReserve(row, `usr_late${buckets}_${wave}_${i}`)));
        won = [...won, ...late.filter((r) => r !== null)];
      }
      expect(won.length).toBe(100);
      expect(await tryReserve(row, `usr_after${buckets}`)).toBeNull();
      const held = perShopper(won.map((r) => ({ shopper_id: r.shopperId, quantity: r.quantity })));
      expect(Math.max(...held.values())).toBeLessThanOrEqual(2);
      // storage agrees with what callers were told, and every row sits in its shopper's bucket
      const stored = await storedHolds(sale);
      expect(stored.reduce((a, r) => a + r.quantity, 0)).toBe(100);
      expect(new Set(stored.map((r) => r.id))).toEqual(new Set(won.map((r) => r.id)));
      for (const r of stored) expect(r.bucket).toBe(bucketOf(sale.id, r.shopper_id, buckets));
      expect(Math.max(...perShopper(stored).values())).toBeLessThanOrEqual(2);
      expect(await saleSnapshot(systemCtx(), row)).toMatchObject({ allocated: 100, reserved: 100, sold: 0, remaining: 0, conserved: true });
    });

  it('over HTTP: 30 shoppers tapping 3 times each for 10 units on 4 buckets, retrying "sold out" — exactly 10, and D1 orders match the objects', async () => {
    const { sale } = await bucketSale({ allocated: 10, perShopperLimit: 1, buckets: 4 });
    const crowd = await Promise.all([...Array(30).keys()].map(() => shopperWithAddress()));
    const tap = (c: (typeof crowd)[0], k: string) =>
      api('POST', `/store/v1/flash-sales/${sale.id}/reserve`, {
        token: c.token,
        body: { quantity: 1 },
        headers: { 'idempotency-key': `race-${c.userId}-${k}` },
      });
    const results = await Promise.all(crowd.flatMap((c) => [0, 1, 2].map((k) => tap(c, String(k)).then((r) => ({ c, r })))));
    expect(results.every(({ r }) => r.status === 201 || r.status === 409)).toBe(true);
    let won = results.filter(({ r }) => r.status === 201);
    // people without units try again a little later (the isolate's "sold out" memory lasts 1 s)
    for (let wave = 0; wave < 6 && won.length < 10; wave++) {
      await later(1_100);
      const winners = new Set(won.map(({ c }) => c.userId));
      const again = await Promise.all(
        crowd.filter((c) => !winners.has(c.userId)).map((c) => tap(c, `again-${wave}`).then((r) => ({ c, r }))),
      );
      won = [...won, ...again.filter(({ r }) => r.status === 201)];
    }
    expect(won.length).toBe(10);
    // each winner's order gets written (polling writes it if the queue has not yet)
    for (const { c, r } of won)
      expect(
        (await api('GET', `/store/v1/flash-sales/${sale.id}/reservations/${r.body.reservationId}`, { token: c.token })).body.order.status,
      ).toBe('pending_payment');
    const orders = await env.DB.prepare("SELECT user_id FROM orders WHERE promo_id = ? AND status = 'pending_payment'")
      .bind(sale.id)
      .all<{ user_id: string }>();
    expect(orders.results.length).toBe(10);
    expect(new Set(orders.results.map((o) => o.user_id)).size).toBe(10); // limit 1: one order each
    const stored = await storedHolds(sale);
    expect(stored.length).toBe(10);
    expect(new Set(stored.map((r) => r.shopper_id))).toEqual(new Set(orders.results.map((o) => o.user_id)));
  });

  it('one shopper firing 8 concurrent taps with different keys gets at most the limit; a replay returns the same reservation', async () => {
    const { sale } = await bucketSale({ allocated: 20, perShopperLimit: 2, buckets: 4 });
    const s = await shopperWithAddress();
    const taps = await Promise.all(
      [...Array(8).keys()].map((k) =>
        api('POST', `/store/v1/flash-sales/${sale.id}/reserve`, {
          token: s.token,
          body: { quantity: 1 },
          headers: { 'idempotency-key': `tap-${k}-${s.userId}` },
        }),
      ),
    );
    expect(taps.filter((r) => r.status === 201).length).toBe(2);
    expect(taps.filter((r) => r.status === 409).every((r) => r.body.error.code === 'flash_sales.limit_reached')).toBe(true);
    const first = taps.find((r) => r.status === 201)!;
    const k = `tap-${taps.indexOf(first)}-${s.userId}`;
    const again = await api('POST', `/store/v1/flash-sales/${sale.id}/reserve`, {
      token: s.token,
      body: { quantity: 1 },
      headers: { 'idempotency-key': k },
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ reservationId: first.body.reservationId, replayed: true });
    const stored = await storedHolds(sale);
    expect(stored.map((r) => r.bucket)).toEqual([bucketOf(sale.id, s.userId, 4), bucketOf(sale.id, s.userId, 4)]);
  });

  it("payment, cancel and expiry reach the shopper's bucket; reconciliation agrees; wind-up returns the unsold units once", async () => {
    const { skuId, sale } = await bucketSale({ allocated: 12, perShopperLimit: 2, buckets: 4 }, 20);
    const stockAfterCreate = (await env.DB.prepare('SELECT stock FROM skus WHERE id = ?').bind(skuId).first<{ stock: number }>())!.stock;
    // shoppers until three buckets are covered, so the three follow-ups happen in different objects
    const people: Awaited<ReturnType<typeof shopperWithAddress>>[] = [];
    const seen = new Set<number>();
    while (seen.size < 3) {
      const p = await shopperWithAddress();
      const b = bucketOf(sale.id, p.userId, 4);
      if (seen.has(b)) continue;
      seen.add(b);
      people.push(p);
    }
    const [payer, canceller, sleeper] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
    const reserve = async (p: typeof payer, quantity: number) => {
      const r = await api('POST', `/store/v1/flash-sales/${sale.id}/reserve`, {
        token: p.token,
        body: { quantity },
        headers: { 'idempotency-key': key() },
      });
      expect(r.status).toBe(201);
      return (await api('GET', `/store/v1/flash-sales/${sale.id}/reservations/${r.body.reservationId}`, { token: p.token })).body;
    };
    const paid = await reserve(payer, 2);
    const cancelled = await reserve(canceller, 1);
    const lapsing = await reserve(sleeper, 1);
    const bucketOfP = (p: typeof payer) => stubOf(sale, bucketOf(sale.id, p.userId, 4));

    await api('POST', `/store/v1/orders/${paid.order.orderId}/pay`, { token: payer.token });
    expect((await api('POST', `/sandbox/wechatpay/transactions/${paid.order.checkoutId}/pay`)).status).toBe(200);
    expect(await bucketOfP(payer).reservation(paid.reservationId)).toMatchObject({ status: 'confirmed' });
    expect(await bucketOfP(payer).snapshot(sale.id)).toMatchObject({ sold: 2, reserved: 0 });

    expect((await api('POST', `/store/v1/orders/${cancelled.order.orderId}/cancel`, { token: canceller.token, body: {} })).status).toBe(
      200,
    );
    expect(await bucketOfP(canceller).reservation(cancelled.reservationId)).toMatchObject({ status: 'released' });

    // the payment timeout: the order closes and its bucket releases the units
    await env.DB.prepare('UPDATE checkouts SET expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1000, lapsing.order.checkoutId)
      .run();
    const batch = createMessageBatch('edgemall-settlement', [
      {
        id: `m-${lapsing.order.checkoutId}`,
        timestamp: new Date(),
        attempts: 1,
        body: {
          type: 'orders.payment_timeout',
          id: `timeout:${lapsing.order.checkoutId}`,
          at: Date.now(),
          data: { checkoutId: lapsing.order.checkoutId },
        },
      },
    ]);
    const ec = createExecutionContext();
    await handleQueueBatch(batch, env, ec);
    await getQueueResult(batch, ec);
    expect(await bucketOfP(sleeper).reservation(lapsing.reservationId)).toMatchObject({ status: 'released' });

    // no other bucket ever saw these reservations
    for (const b of [0, 1, 2, 3])
      for (const [p, id] of [
        [payer, paid.reservationId],
        [canceller, cancelled.reservationId],
        [sleeper, lapsing.reservationId],
      ] as const)
        if (b !== bucketOf(sale.id, p.userId, 4)) expect(await stubOf(sale, b).reservation(id)).toBeNull();

    const report = await reconcileFlashSale(systemCtx(), sale.id);
    expect(report).toMatchObject({
      agree: true,
      do: { allocated: 12, reserved: 0, sold: 2, remaining: 10 },
      d1: { pendingUnits: 0, soldUnits: 2 },
    });

    const afterEnd = Date.parse(sale.endsAt) + 1000;
    const twice = await Promise.all([reconcileFlashSale(systemCtx(afterEnd), sale.id), reconcileFlashSale(systemCtx(afterEnd), sale.id)]);
    expect(twice.map((r) => r.returnedUnits)).toEqual([10, 10]);
    expect((await reconcileFlashSale(systemCtx(afterEnd), sale.id)).returnedUnits).toBe(10);
    const stock = (await env.DB.prepare('SELECT stock FROM skus WHERE id = ?').bind(skuId).first<{ stock: number }>())!.stock;
    expect(stock).toBe(stockAfterCreate + 10);
    const ledger = await env.DB.prepare('SELECT count(*) AS n FROM stock_ledger WHERE ref = ?')
      .bind(`fs-ret:${sale.id}`)
      .first<{ n: number }>();
    expect(ledger!.n).toBe(1);
    for (const b of [0, 1, 2, 3]) expect(await stubOf(sale, b).snapshot(sale.id)).toMatchObject({ closed: true, remaining: 0 });
  });

  it("a bucket's own alarm expires its reservations, and the units can be sold again", async () => {
    const { sale } = await bucketSale({ allocated: 8, perShopperLimit: 1, buckets: 4, startsAt: at(-10 * MIN), reservationTtlSeconds: 10 });
    const row = await getSaleRow(systemCtx(), sale.id);
    // reserved 200 s ago with a 10 s payment window (+ 2 min grace): its hold is over
    const old = await reserveUnits(systemCtx(Date.now() - 200_000), row, { shopperId: 'usr_sleepy', idempotencyKey: key(), quantity: 1 });
    const b = bucketOf(sale.id, 'usr_sleepy', 4);
    expect(await stubOf(sale, b).reservation(old.reservation.id)).toMatchObject({ status: 'pending' });
    await runDurableObjectAlarm(stubOf(sale, b));
    expect(await stubOf(sale, b).reservation(old.reservation.id)).toMatchObject({ status: 'expired' });
    expect(await saleSnapshot(systemCtx(), row)).toMatchObject({ reserved: 0, remaining: 8, conserved: true });
    // the shopper may reserve again
    expect(await tryReserve(row, 'usr_sleepy')).not.toBeNull();
  });

  it("wind-up returns exactly allocated − sold once, units in the coordinator's pool included", async () => {
    const { skuId, sale } = await bucketSale({ allocated: 12, perShopperLimit: 2, buckets: 4 }, 20);
    const row = await getSaleRow(systemCtx(), sale.id);
    const stockAfterCreate = (await env.DB.prepare('SELECT stock FROM skus WHERE id = ?').bind(skuId).first<{ stock: number }>())!.stock;
    // one unit sold, through a real order and payment
    const payer = await shopperWithAddress();
    const r = await api('POST', `/store/v1/flash-sales/${sale.id}/reserve`, {
      token: payer.token,
      body: { quantity: 1 },
      headers: { 'idempotency-key': key() },
    });
    const order = (await api('GET', `/store/v1/flash-sales/${sale.id}/reservations/${r.body.reservationId}`, { token: payer.token })).body
      .order;
    await api('POST', `/store/v1/orders/${order.orderId}/pay`, { token: payer.token });
    expect((await api('POST', `/sandbox/wechatpay/transactions/${order.checkoutId}/pay`)).status).toBe(200);
    await later(1_100);
    // a reclaim round moves the idle buckets' units into the pool (part of it granted to bucket 0)
    const asker = (bucketOf(sale.id, payer.userId, 4) + 1) % 4;
    await skuStockStub(env, skuId).refillBucket({
      config: { ...configOf(row), allocated: 12 },
      info: { skuId, bucket: asker, buckets: 4, allocated: 12 },
      need: 1,
      free: 0,
    });
    const view = await skuStockStub(env, skuId).saleView(sale.id);
    expect(view.pool).toBeGreaterThan(0);
    const afterEnd = Date.parse(sale.endsAt) + 1000;
    const runs = await Promise.all([reconcileFlashSale(systemCtx(afterEnd), sale.id), reconcileFlashSale(systemCtx(afterEnd), sale.id)]);
    expect(runs.map((r) => r.returnedUnits)).toEqual([11, 11]);
    expect(runs[0]).toMatchObject({
      agree: true,
      conserved: true,
      do: { allocated: 12, sold: 1, reserved: 0, closed: true },
      d1: { soldUnits: 1, pendingUnits: 0 },
    });
    const stock = (await env.DB.prepare('SELECT stock FROM skus WHERE id = ?').bind(skuId).first<{ stock: number }>())!.stock;
    expect(stock).toBe(stockAfterCreate + 11);
    const ledger = await env.DB.prepare('SELECT count(*) AS n FROM stock_ledger WHERE ref = ?')
      .bind(`fs-ret:${sale.id}`)
      .first<{ n: number }>();
    expect(ledger!.n).toBe(1);
    expect(await skuStockStub(env, skuId).saleView(sale.id)).toMatchObject({ closed: true, pool: view.pool, inTransfer: 0 });
  });
});
