import { createExecutionContext, createMessageBatch, getQueueResult, runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, env, shopperToken } from '../../test/helpers';
import { sellable, shopperWithAddress } from '../../test/shop';
import { handleQueueBatch } from '../queue';
import { app } from '../app';
import { skuStockStub } from '../../durable-objects/sku-stock';
import { runInSkuStock, skusWithAlarms } from '../../test/sku-stock';

// DO alarms are not reset between tests: the ones these SKUs' objects scheduled are deleted after the file
const usedSkus = skusWithAlarms();

const MIN = 60_000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();
const key = () => `k-${crypto.randomUUID()}`;
const skuStock = async (skuId: string) =>
  (await env.DB.prepare('SELECT stock FROM skus WHERE id = ?').bind(skuId).first<{ stock: number }>())!.stock;

async function liveSale(over: Record<string, unknown> = {}, stock = 20) {
  const s = await sellable(5000, stock);
  usedSkus.add(s.skuId);
  const r = await api('POST', '/admin/v1/flash-sales', {
    token: s.admin,
    body: { skuId: s.skuId, salePrice: 1990, allocated: 5, perShopperLimit: 2, startsAt: at(-MIN), endsAt: at(60 * MIN), ...over },
  });
  expect(r.status).toBe(201);
  return { ...s, sale: r.body };
}

const rawReserve = (
  token: string,
  saleId: string,
  k = key(),
  body: Record<string, unknown> = { quantity: 1 },
  headers: Record<string, string> = {},
) => api('POST', `/store/v1/flash-sales/${saleId}/reserve`, { token, body, headers: { 'idempotency-key': k, ...headers } });
const poll = (token: string, saleId: string, reservationId: string) =>
  api('GET', `/store/v1/flash-sales/${saleId}/reservations/${reservationId}`, { token });
/** Reserves, then polls the result as the client does, so `body.order` is the written order. */
async function reserve(...args: Parameters<typeof rawReserve>) {
  const r = await rawReserve(...args);
  if (r.status < 300) {
    const p = await poll(args[0], args[1], r.body.reservationId);
    expect(p.status).toBe(200);
    r.body.order = p.body.order;
  }
  return r;
}

async function runTimeout(checkoutId: string) {
  const batch = createMessageBatch('edgemall-settlement', [
    {
      id: `m-${checkoutId}`,
      timestamp: new Date(),
      attempts: 1,
      body: { type: 'orders.payment_timeout', id: `timeout:${checkoutId}`, at: Date.now(), data: { checkoutId } },
    },
  ]);
  const ec = createExecutionContext();
  await handleQueueBatch(batch, env, ec);
  return getQueueResult(batch, ec);
}

describe('reserveFlashSale creates the pending order that holds the reservation', () => {
  it('prices the order at the sale price with an explained discount, moves no normal stock, and payment confirms the units in the DO', async () => {
    const { skuId, sale } = await liveSale();
    const stockBefore = await skuStock(skuId);
    const shopper = await shopperWithAddress();
    const r = await reserve(shopper.token, sale.id, key(), { quantity: 2 });
    expect(r.status).toBe(201);
    const orderId = r.body.order.orderId;
    const detail = (await api('GET', `/store/v1/orders/${orderId}`, { token: shopper.token })).body;
    expect(detail).toMatchObject({
      status: 'pending_payment',
      goodsTotal: 10_000,
      discountTotal: 6_020,
      promo: { type: 'flash_sale', id: sale.id, teamId: null },
      awaitingGroup: false,
    });
    expect(detail.discounts).toEqual([{ source: 'flash_sale', sourceId: sale.id, label: '限时秒杀', amount: 6_020 }]);
    expect(detail.lines[0]).toMatchObject({ skuId, quantity: 2, unitPrice: 5000, payable: 3_980 });
    expect(detail.payableTotal).toBe(3_980 + detail.shippingFee);
    // the order must be paid within the sale's reservation window (default 15 min)
    expect(Date.parse(detail.expiresAt) - Date.now()).toBeGreaterThan(14 * MIN);
    expect(Date.parse(detail.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * MIN);
    expect(await skuStock(skuId)).toBe(stockBefore);

    expect((await api('POST', `/store/v1/orders/${orderId}/pay`, { token: shopper.token })).status).toBe(200);
    expect((await api('POST', `/sandbox/wechatpay/transactions/${r.body.order.checkoutId}/pay`)).status).toBe(200);
    expect((await api('GET', `/store/v1/orders/${orderId}`, { token: shopper.token })).body.status).toBe('paid');
    expect(await skuStockStub(env, skuId).snapshot(sale.id)).toMatchObject({ sold: 2, reserved: 0, remaining: 3 });
    expect(await skuStock(skuId)).toBe(stockBefore);
  });

  it('a crowd is answered before the D1 orders exist (named, status creating) and the queue writes them', async () => {
    const { sale } = await liveSale({ allocated: 12 }, 30);
    const crowd = await Promise.all([...Array(12).keys()].map(() => shopperWithAddress()));
    const rs = await Promise.all(crowd.map((c) => rawReserve(c.token, sale.id)));
    expect(rs.every((r) => r.status === 201)).toBe(true);
    // every answer comes before its order: the DO's outbox hands the messages to the queue
    expect(rs.every((r) => r.body.order.status === 'creating')).toBe(true);
    expect(rs[0]!.body.order).toMatchObject({
      orderId: expect.stringMatching(/^ord_/),
      checkoutId: expect.stringMatching(/^chk_/),
      orderNo: null,
    });
    let n = 0;
    for (let i = 0; i < 80 && n < 12; i++) {
      n = (await env.DB.prepare("SELECT count(*) AS n FROM orders WHERE promo_id = ? AND status = 'pending_payment'")
        .bind(sale.id)
        .first<{ n: number }>())!.n;
      if (n < 12) await new Promise((r) => setTimeout(r, 100));
    }
    expect(n).toBe(12);
    const ids = (await env.DB.prepare('SELECT id FROM orders WHERE promo_id = ?').bind(sale.id).all<{ id: string }>()).results
      .map((r) => r.id)
      .sort();
    expect(ids).toEqual(rs.map((r) => r.body.order.orderId).sort());
  });

  it('a lone reserve is answered the same way (never written in the request); a retry returns the same reservation and order', async () => {
    const { sale } = await liveSale();
    const shopper = await shopperWithAddress();
    const k = key();
    const [a0, b0] = await Promise.all([rawReserve(shopper.token, sale.id, k), rawReserve(shopper.token, sale.id, k)]);
    expect([a0.status, b0.status].sort()).toEqual([200, 201]);
    expect(a0.body.reservationId).toBe(b0.body.reservationId);
    expect(a0.body.order.orderId).toBe(b0.body.order.orderId);
    expect((a0.status === 201 ? a0 : b0).body.order).toMatchObject({ status: 'creating', orderNo: null });
    const a = await reserve(shopper.token, sale.id, k);
    expect(a.body.order.status).toBe('pending_payment');
    await api('POST', `/store/v1/orders/${a.body.order.orderId}/pay`, { token: shopper.token });
    await api('POST', `/sandbox/wechatpay/transactions/${a.body.order.checkoutId}/pay`);
    const c = await reserve(shopper.token, sale.id, k);
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({
      reservationId: a.body.reservationId,
      status: 'confirmed',
      order: { orderId: a.body.order.orderId, status: 'paid' },
    });
    const n = await env.DB.prepare('SELECT count(*) AS n FROM orders WHERE promo_id = ?').bind(sale.id).first<{ n: number }>();
    expect(n!.n).toBe(1);
    // someone else cannot read the reservation
    expect((await poll((await shopperWithAddress()).token, sale.id, a.body.reservationId)).status).toBe(404);
  });

  it('cancelling the order returns its units to the sale, not to normal stock', async () => {
    const { skuId, sale } = await liveSale();
    const stockBefore = await skuStock(skuId);
    const shopper = await shopperWithAddress();
    const r = await reserve(shopper.token, sale.id, key(), { quantity: 2 });
    expect(await skuStockStub(env, skuId).snapshot(sale.id)).toMatchObject({ reserved: 2, remaining: 3 });
    expect((await api('POST', `/store/v1/orders/${r.body.order.orderId}/cancel`, { token: shopper.token, body: {} })).status).toBe(200);
    expect(await skuStockStub(env, skuId).snapshot(sale.id)).toMatchObject({ reserved: 0, remaining: 5 });
    expect(await skuStock(skuId)).toBe(stockBefore);
    // the shopper's limit is free again too
    expect((await reserve(shopper.token, sale.id, key(), { quantity: 2 })).status).toBe(201);
  });

  it('the payment timeout closes the order and releases the reservation exactly once', async () => {
    const { skuId, sale } = await liveSale();
    const shopper = await shopperWithAddress();
    const r = await reserve(shopper.token, sale.id);
    await env.DB.prepare('UPDATE checkouts SET expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1000, r.body.order.checkoutId)
      .run();
    expect((await runTimeout(r.body.order.checkoutId)).explicitAcks.length).toBe(1);
    await runTimeout(r.body.order.checkoutId); // a redelivery
    expect((await api('GET', `/store/v1/orders/${r.body.order.orderId}`, { token: shopper.token })).body.status).toBe('closed');
    expect(await skuStockStub(env, skuId).snapshot(sale.id)).toMatchObject({ reserved: 0, sold: 0, remaining: 5 });
  });

  it('a shopper without an address is told so, and the units go back', async () => {
    const { skuId, sale } = await liveSale();
    const token = await shopperToken(`fs-noaddr-${crypto.randomUUID()}`);
    const r = await rawReserve(token, sale.id);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('addresses.none');
    expect(await skuStockStub(env, skuId).snapshot(sale.id)).toMatchObject({ reserved: 0, remaining: 5 });
  });

  it("another shopper's address is not found and takes nothing", async () => {
    const { skuId, sale } = await liveSale();
    const a = await shopperWithAddress();
    const b = await shopperWithAddress();
    const r = await rawReserve(b.token, sale.id, key(), { quantity: 1, addressId: a.addressId });
    expect(r.status).toBe(404);
    expect(await skuStockStub(env, skuId).snapshot(sale.id)).toMatchObject({ reserved: 0, remaining: 5 });
    expect((await env.DB.prepare('SELECT count(*) AS n FROM orders WHERE promo_id = ?').bind(sale.id).first<{ n: number }>())!.n).toBe(0);
  });

  it('keeps the chosen address and note with the reservation, whoever writes the order', async () => {
    const { sale } = await liveSale();
    const s = await shopperWithAddress();
    const other = await api('POST', '/store/v1/addresses', {
      token: s.token,
      body: { name: '韩梅梅', phone: '13900000000', province: '北京市', city: '北京市', district: '海淀区', detail: '中关村大街1号' },
    });
    const r = await reserve(s.token, sale.id, key(), { quantity: 1, addressId: other.body.id, buyerNote: '请尽快发货' });
    const detail = (await api('GET', `/store/v1/orders/${r.body.order.orderId}`, { token: s.token })).body;
    expect(detail).toMatchObject({ buyerNote: '请尽快发货', address: { province: '北京市', name: '韩梅梅' } });
  });
});

/** Counts what the consumer asks of D1 (statements and batches), through the real binding. */
function countingEnv() {
  const n = { queries: 0, batches: 0 };
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'batch')
        return (stmts: D1PreparedStatement[]) => {
          n.batches++;
          return target.batch(stmts);
        };
      if (prop === 'prepare')
        return (query: string) => {
          const st = target.prepare(query);
          return new Proxy(st, {
            get(t, p) {
              const v = Reflect.get(t, p, t);
              if (p === 'bind') return (...a: unknown[]) => countStatement(t.bind(...a));
              if (['all', 'first', 'raw', 'run'].includes(String(p)))
                return (...a: unknown[]) => (n.queries++, v as (...x: unknown[]) => unknown).apply(t, a);
              return typeof v === 'function' ? v.bind(t) : v;
            },
          });
        };
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const countStatement = (st: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(st, {
      get(t, p) {
        const v = Reflect.get(t, p, t);
        if (['all', 'first', 'raw', 'run'].includes(String(p)))
          return (...a: unknown[]) => (n.queries++, v as (...x: unknown[]) => unknown).apply(t, a);
        return typeof v === 'function' ? v.bind(t) : v;
      },
    });
  return { env: { ...env, DB: db }, n };
}

const createOrderMessage = (saleId: string, reservationId: string, shopperId: string) => ({
  id: `m-${reservationId}-${crypto.randomUUID()}`,
  timestamp: new Date(),
  attempts: 1,
  body: { type: 'flash_sales.create_order', id: `fs-order:${reservationId}`, at: Date.now(), data: { saleId, reservationId, shopperId } },
});

describe('the order consumer and the DO outbox', () => {
  it('writes a delivery of orders in one D1 batch with a handful of queries, and a redelivery writes nothing new', async () => {
    const { skuId, sale } = await liveSale({ allocated: 10, perShopperLimit: 1 }, 20);
    const crowd = await Promise.all([...Array(8).keys()].map(() => shopperWithAddress()));
    const reservations = await Promise.all(
      crowd.map((c, i) =>
        skuStockStub(env, skuId).reserve({ saleId: sale.id, shopperId: c.userId, quantity: 1, idempotencyKey: `batch-${i}` }),
      ),
    );
    const ids = reservations.map((r) => (r.ok ? r.reservation.id : ''));
    const deliver = async () => {
      const { env: counted, n } = countingEnv();
      const batch = createMessageBatch(
        'edgemall-settlement',
        ids.map((id, i) => createOrderMessage(sale.id, id, crowd[i]!.userId)),
      );
      const ec = createExecutionContext();
      await handleQueueBatch(batch, counted as typeof env, ec);
      return { result: await getQueueResult(batch, ec), n };
    };
    const first = await deliver();
    expect(first.result.explicitAcks.length).toBe(8);
    expect(first.result.retryMessages).toEqual([]);
    // one batch for all eight orders; nine D1 round trips per order before
    expect(first.n.batches).toBe(1);
    expect(first.n.queries).toBeLessThanOrEqual(6);
    const orders = await env.DB.prepare("SELECT id, user_id FROM orders WHERE promo_id = ? AND status = 'pending_payment'")
      .bind(sale.id)
      .all<{ id: string; user_id: string }>();
    expect(orders.results.length).toBe(8);
    expect(new Set(orders.results.map((o) => o.user_id))).toEqual(new Set(crowd.map((c) => c.userId)));
    // each order is the one its shopper's poll names, with the shopper's own address
    const polled = await poll(crowd[3]!.token, sale.id, ids[3]!);
    expect(polled.body.order).toMatchObject({
      orderId: orders.results.find((o) => o.user_id === crowd[3]!.userId)!.id,
      status: 'pending_payment',
    });
    const again = await deliver();
    expect(again.result.explicitAcks.length).toBe(8);
    expect(again.n.batches).toBe(0);
    const count = await env.DB.prepare('SELECT count(*) AS n FROM orders WHERE promo_id = ?').bind(sale.id).first<{ n: number }>();
    expect(count!.n).toBe(8);
  });

  it("a delivery's payment timeouts go out as ONE delayed message, due at the latest window, that closes each order once", async () => {
    const { skuId, sale } = await liveSale({ allocated: 10, perShopperLimit: 1 }, 20);
    const crowd = await Promise.all([...Array(5).keys()].map(() => shopperWithAddress()));
    const reservations = await Promise.all(
      crowd.map((c, i) =>
        skuStockStub(env, skuId).reserve({ saleId: sale.id, shopperId: c.userId, quantity: 1, idempotencyKey: `tmo-${i}` }),
      ),
    );
    const sent: { body: any; delaySeconds?: number }[] = [];
    const settlement = {
      send: async () => {},
      sendBatch: async (msgs: { body: any; delaySeconds?: number }[]) => void sent.push(...msgs),
    };
    const batch = createMessageBatch(
      'edgemall-settlement',
      reservations.map((r, i) => createOrderMessage(sale.id, r.ok ? r.reservation.id : '', crowd[i]!.userId)),
    );
    const ec = createExecutionContext();
    await handleQueueBatch(batch, { ...env, SETTLEMENT: settlement } as unknown as typeof env, ec);
    await getQueueResult(batch, ec);
    const timeouts = sent.filter((m) => m.body.type === 'orders.payment_timeouts');
    expect(timeouts).toHaveLength(1);
    expect(sent.filter((m) => m.body.type === 'orders.payment_timeout')).toEqual([]);
    const { checkoutIds } = timeouts[0]!.body.data as { checkoutIds: string[] };
    expect(checkoutIds).toHaveLength(5);
    expect(timeouts[0]!.delaySeconds).toBeGreaterThan(60);
    const run = async () => {
      const b = createMessageBatch('edgemall-settlement', [
        { id: `m-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body: timeouts[0]!.body },
      ]);
      const c = createExecutionContext();
      await handleQueueBatch(b, env, c);
      return getQueueResult(b, c);
    };
    expect((await run()).explicitAcks).toHaveLength(1);
    await run(); // a redelivery
    const closed = await env.DB.prepare(`SELECT count(*) AS n FROM orders WHERE promo_id = ? AND status = 'closed'`)
      .bind(sale.id)
      .first<{ n: number }>();
    expect(closed!.n).toBe(5);
    expect(await skuStockStub(env, skuId).snapshot(sale.id)).toMatchObject({ reserved: 0, sold: 0, remaining: 10 });
  });

  it('a batch with a lapsed reservation and a shopper without an address writes the others and gives those units back', async () => {
    const { skuId, sale } = await liveSale({ allocated: 10, perShopperLimit: 1 }, 20);
    const ok = await shopperWithAddress();
    const lapsed = await shopperWithAddress();
    const noAddress = await shopperWithAddress();
    const stub = skuStockStub(env, skuId);
    const take = async (userId: string, k: string) => {
      const r = await stub.reserve({ saleId: sale.id, shopperId: userId, quantity: 1, idempotencyKey: k });
      if (!r.ok) throw new Error(r.reason);
      return r.reservation.id;
    };
    const [a, b, c] = [await take(ok.userId, 'a'), await take(lapsed.userId, 'b'), await take(noAddress.userId, 'c')];
    await stub.release(b);
    await api('DELETE', `/store/v1/addresses/${noAddress.addressId}`, { token: noAddress.token });
    const batch = createMessageBatch('edgemall-settlement', [
      createOrderMessage(sale.id, a, ok.userId),
      createOrderMessage(sale.id, b, lapsed.userId),
      createOrderMessage(sale.id, c, noAddress.userId),
      // someone else's reservation id is not theirs to order
      createOrderMessage(sale.id, a, lapsed.userId),
    ]);
    const ec = createExecutionContext();
    await handleQueueBatch(batch, env, ec);
    expect((await getQueueResult(batch, ec)).explicitAcks.length).toBe(4);
    const rows = await env.DB.prepare('SELECT user_id FROM orders WHERE promo_id = ?').bind(sale.id).all<{ user_id: string }>();
    expect(rows.results.map((r) => r.user_id)).toEqual([ok.userId]);
    expect(await stub.reservation(c)).toMatchObject({ status: 'released' });
    expect(await stub.snapshot(sale.id)).toMatchObject({ reserved: 1, remaining: 9 });
  });

  it('an order message the queue never took is sent again by the alarm, and the order is written', async () => {
    const { skuId, sale } = await liveSale();
    const shopper = await shopperWithAddress();
    const r = await rawReserve(shopper.token, sale.id);
    expect(r.status).toBe(201);
    const stub = skuStockStub(env, skuId);
    const orderCount = async () =>
      (await env.DB.prepare('SELECT count(*) AS n FROM orders WHERE promo_id = ?').bind(sale.id).first<{ n: number }>())!.n;
    // wait for the first delivery, then pretend the send failed: the row is back in the outbox and the order gone
    for (let i = 0; i < 50 && (await orderCount()) < 1; i++) await new Promise((res) => setTimeout(res, 100));
    expect(await orderCount()).toBe(1);
    const o = await env.DB.prepare('SELECT id, checkout_id FROM orders WHERE promo_id = ?')
      .bind(sale.id)
      .first<{ id: string; checkout_id: string }>();
    await env.DB.batch([
      env.DB.prepare('DELETE FROM order_events WHERE order_id = ?').bind(o!.id),
      env.DB.prepare('DELETE FROM order_lines WHERE order_id = ?').bind(o!.id),
      env.DB.prepare('DELETE FROM orders WHERE id = ?').bind(o!.id),
      env.DB.prepare('DELETE FROM checkouts WHERE id = ?').bind(o!.checkout_id),
    ]);
    const unsent = await runInSkuStock(stub, (_i, state) => {
      state.storage.sql.exec('UPDATE reservations SET queued = 0 WHERE id = ?', r.body.reservationId);
      return state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM reservations WHERE queued = 0').one().n;
    });
    expect(unsent).toBe(1);
    await runDurableObjectAlarm(stub);
    for (let i = 0; i < 50 && (await orderCount()) < 1; i++) await new Promise((res) => setTimeout(res, 100));
    expect(await orderCount()).toBe(1);
    expect(
      await runInSkuStock(
        stub,
        (_i, state) => state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM reservations WHERE queued = 0').one().n,
      ),
    ).toBe(0);
  });
});

describe('an overloaded stock object', () => {
  it('answers 503 flash_sales.busy with Retry-After (not a 500), takes nothing, and is not retried by the Worker', async () => {
    const { skuId, sale } = await liveSale();
    const shopper = await shopperWithAddress();
    let calls = 0;
    // the platform's refusal when too many calls queue for one object: an Error with overloaded = true
    const overloaded = Object.assign(new Error('Durable Object is overloaded. Too many requests queued.'), { overloaded: true });
    const busyNs = new Proxy(env.SKU_STOCK, {
      get(target, prop) {
        if (prop === 'get')
          return () => ({
            reserve: async () => {
              calls++;
              throw overloaded;
            },
          });
        const v = Reflect.get(target, prop, target);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const res = await app.fetch(
      new Request(`http://edgemall.test/store/v1/flash-sales/${sale.id}/reserve`, {
        method: 'POST',
        headers: { authorization: `Bearer ${shopper.token}`, 'content-type': 'application/json', 'idempotency-key': key() },
        body: JSON.stringify({ quantity: 1 }),
      }),
      { ...env, SKU_STOCK: busyNs } as typeof env,
      createExecutionContext(),
    );
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('flash_sales.busy');
    expect(calls).toBe(1);
    expect(await skuStockStub(env, skuId).snapshot(sale.id)).toMatchObject({ reserved: 0, remaining: 5 });
  });
});

describe('bot defence', () => {
  it('a token sale refuses reserves without a token, issues none before the start, and binds it to one shopper', async () => {
    const { sale } = await liveSale({ requireToken: true });
    const upcoming = (await liveSale({ requireToken: true, startsAt: at(10 * MIN), endsAt: at(20 * MIN) })).sale;
    const a = await shopperWithAddress();
    const b = await shopperWithAddress();
    const none = await reserve(a.token, sale.id);
    expect(none.status).toBe(403);
    expect(none.body.error.code).toBe('flash_sales.token_required');
    const early = await api('POST', `/store/v1/flash-sales/${upcoming.id}/token`, { token: a.token });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('flash_sales.not_started');
    const t = await api('POST', `/store/v1/flash-sales/${sale.id}/token`, { token: a.token });
    expect(t.status).toBe(200);
    expect((await reserve(b.token, sale.id, key(), { quantity: 1 }, { 'x-flash-token': t.body.token })).status).toBe(403);
    expect(
      (
        await reserve(
          a.token,
          sale.id,
          key(),
          { quantity: 1 },
          { 'x-flash-token': `${t.body.token.slice(0, -1)}${t.body.token.endsWith('0') ? '1' : '0'}` },
        )
      ).status,
    ).toBe(403);
    expect((await reserve(a.token, sale.id, key(), { quantity: 1 }, { 'x-flash-token': t.body.token })).status).toBe(201);
  });

  it('rate-limits one shopper hammering the button (429 before the DO) and one address flooding it', async () => {
    const { skuId, sale } = await liveSale({ perShopperLimit: 1 });
    const s = await shopperWithAddress();
    // 25 taps at once: the limiter allows 10 per 10 s window, so even straddling two windows at most 20 pass
    const results = await Promise.all([...Array(25).keys()].map(() => reserve(s.token, sale.id)));
    const count = (st: number) => results.filter((r) => r.status === st).length;
    expect(count(201)).toBe(1);
    expect(count(429)).toBeGreaterThanOrEqual(5);
    expect(count(201) + count(409) + count(429)).toBe(25); // the others reached the DO and heard "limit reached"
    expect(results.find((r) => r.status === 429)!.body.error.code).toBe('flash_sales.rate_limited');
    expect(await skuStockStub(env, skuId).snapshot(sale.id)).toMatchObject({ reserved: 1 });
    // the per-address brake: exhaust this address's budget (1,000 per 10 s), then a fresh shopper from it is refused
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}`;
    let fresh = await shopperWithAddress();
    let flooded = await reserve(fresh.token, sale.id, key(), { quantity: 1 }, { 'cf-connecting-ip': ip });
    // the limiter counts in fixed windows: if one rolled over while we exhausted it, exhaust it again
    for (let attempt = 0; attempt < 2 && flooded.status !== 429; attempt++) {
      for (let i = 0; i < 1000; i++) await env.FLASH_IP_LIMITER!.limit({ key: `ip:${ip}` });
      fresh = await shopperWithAddress();
      flooded = await reserve(fresh.token, sale.id, key(), { quantity: 1 }, { 'cf-connecting-ip': ip });
    }
    expect(flooded.status).toBe(429);
    expect(flooded.body.error.code).toBe('flash_sales.rate_limited');
    expect((await reserve(fresh.token, sale.id, key(), { quantity: 1 }, { 'cf-connecting-ip': '198.51.100.7' })).status).toBe(201); // the same shopper from elsewhere is fine
  });
});

describe('session rounds (场次)', () => {
  it('creates one pool per round with its own label and allocation, in one stock move each', async () => {
    const s = await sellable(5000, 40);
    usedSkus.add(s.skuId);
    const day = new Date();
    const utc = (h: number) => new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1, h)).toISOString();
    // 10:00, 14:00 and 20:00 Beijing time tomorrow = 02:00, 06:00, 12:00 UTC
    const r = await api('POST', '/admin/v1/flash-sales', {
      token: s.admin,
      body: {
        skuId: s.skuId,
        salePrice: 990,
        allocated: 10,
        rounds: [
          { startsAt: utc(6), endsAt: utc(7) },
          { startsAt: utc(2), endsAt: utc(3) },
          { startsAt: utc(12), endsAt: utc(13) },
        ],
      },
    });
    expect(r.status).toBe(201);
    expect(r.body.rounds.map((x: any) => [x.roundLabel, x.allocated, x.remaining, x.seriesId])).toEqual([
      ['10:00场', 10, 10, r.body.id],
      ['14:00场', 10, 10, r.body.id],
      ['20:00场', 10, 10, r.body.id],
    ]);
    expect(await skuStock(s.skuId)).toBe(10);
    const overlap = await api('POST', '/admin/v1/flash-sales', {
      token: s.admin,
      body: {
        skuId: s.skuId,
        salePrice: 990,
        allocated: 1,
        rounds: [
          { startsAt: utc(2), endsAt: utc(4) },
          { startsAt: utc(3), endsAt: utc(5) },
        ],
      },
    });
    expect(overlap.body.error.code).toBe('flash_sales.rounds_overlap');
    const both = await api('POST', '/admin/v1/flash-sales', {
      token: s.admin,
      body: {
        skuId: s.skuId,
        salePrice: 990,
        allocated: 1,
        startsAt: utc(2),
        endsAt: utc(3),
        rounds: [{ startsAt: utc(2), endsAt: utc(3) }],
      },
    });
    expect(both.status).toBe(400);
  });
});
