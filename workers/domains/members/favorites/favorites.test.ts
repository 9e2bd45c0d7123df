import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminToken, api, env, shopperToken, staffToken } from '../../../../test/helpers';
import { systemCtx } from '../../../../test/ctx';
import { makeCategoryTree, makeProduct } from '../../../../test/catalog';
import { sellable } from '../../../../test/shop';
import type { QueueMessage } from '../../../shared/events';
import type { Env } from '../../../shared/env';
import { DAY_MS } from '../../../shared/calendar';
import { runNewArrivalDigests, runPriceDropPushes, runRestockPushes } from '../../../flows/personal-pushes';
import { deliverTemplatedSend } from '../../notifications/marketing/deliver';
import { setNotificationProviders, type SmsPayload } from '../../notifications/providers';

afterEach(() => setNotificationProviders(null));

function spyCtx(now: number) {
  const sent: QueueMessage<{ sendId: string }>[] = [];
  const q = {
    send: vi.fn(async (m: QueueMessage<{ sendId: string }>) => void sent.push(m)),
    sendBatch: vi.fn(async (ms: { body: QueueMessage<{ sendId: string }> }[]) => void sent.push(...ms.map((m) => m.body))),
  };
  return { ctx: systemCtx(now, { MARKETING: q } as unknown as Partial<Env>), sent };
}

/** A Beijing time today + `days`, at `hour`:00 — inside the day, outside quiet hours. */
const bjAt = (days: number, hour: number) => {
  const dayStart = Math.floor((Date.now() + 8 * 3_600_000) / DAY_MS) * DAY_MS - 8 * 3_600_000;
  return dayStart + days * DAY_MS + hour * 3_600_000;
};

let phoneSeq = 0;
async function phoneShopper() {
  const phone = `138${String(Date.now() % 1e6).padStart(6, '0')}${String(++phoneSeq).padStart(2, '0')}`;
  const code = (await api('POST', '/store/v1/auth/sms-code', { body: { phone } })).body.sandboxCode;
  const login = await api('POST', '/store/v1/auth/sms-login', { body: { phone, code } });
  return { token: login.body.accessToken as string, userId: login.body.user.id as string, phone };
}

const sendsOf = (userId: string, key: string) =>
  env.DB.prepare('SELECT id, status, vars, ref FROM message_sends WHERE user_id = ? AND template_key = ? ORDER BY created_at')
    .bind(userId, key)
    .all<{ id: string; status: string; vars: string; ref: string }>()
    .then((r) => r.results);

let admin: string;
beforeAll(async () => {
  admin = await adminToken();
  for (const [key, text] of [
    ['restock', '您订阅的${productName}（${skuName}）到货了，现价${price}元'],
    ['price_drop', '您收藏的${productName}降价了：${oldPrice}元→${newPrice}元'],
    ['new_arrivals', '${categoryName}上新${count}件，${productName}等你来看'],
  ])
    expect(
      (
        await api('POST', '/admin/v1/message-templates', {
          token: admin,
          body: { key, channel: 'sms', name: key, smsSign: 'edgemall', smsTemplateCode: `SMS_${key}`, smsText: text },
        })
      ).status,
    ).toBe(201);
});

describe('收藏', () => {
  it('adds (idempotent), lists with the price since, shows the heart state, removes; authorisation and validation', async () => {
    const p = await sellable(5000, 3);
    const s = await phoneShopper();
    expect((await api('GET', `/store/v1/me/product-watch/${p.productId}`, { token: s.token })).body).toEqual({
      productId: p.productId,
      favorited: false,
      restockSkuIds: [],
    });
    const add = await api('PUT', `/store/v1/me/favorites/${p.productId}`, { token: s.token });
    expect(add.status).toBe(200);
    expect(add.body.favorited).toBe(true);
    expect((await api('PUT', `/store/v1/me/favorites/${p.productId}`, { token: s.token })).status).toBe(200);
    await env.DB.prepare('UPDATE products SET min_price = 4500 WHERE id = ?').bind(p.productId).run();
    const list = await api('GET', '/store/v1/me/favorites', { token: s.token });
    expect(list.body).toMatchObject({ total: 1, nextCursor: null });
    expect(list.body.items[0]).toMatchObject({
      productId: p.productId,
      price: 4500,
      priceAtAdd: 5000,
      priceDrop: 500,
      onSale: true,
      inStock: true,
    });
    // another shopper's list is their own
    const other = await phoneShopper();
    expect((await api('GET', '/store/v1/me/favorites', { token: other.token })).body.items).toEqual([]);

    expect((await api('PUT', '/store/v1/me/favorites/prd_nope0000', { token: s.token })).status).toBe(404);
    expect((await api('PUT', `/store/v1/me/favorites/x`, { token: s.token })).status).toBe(400);
    expect((await api('PUT', `/store/v1/me/favorites/${p.productId}`)).status).toBe(401);
    expect((await api('PUT', `/store/v1/me/favorites/${p.productId}`, { token: admin })).status).toBe(403);

    const del = await api('DELETE', `/store/v1/me/favorites/${p.productId}`, { token: s.token });
    expect(del.body.favorited).toBe(false);
    expect((await api('GET', '/store/v1/me/favorites', { token: s.token })).body.total).toBe(0);
  });
});

describe('到货提醒', () => {
  it('subscribeRestock: only on a sold-out SKU, idempotent, cancellable; validated and for shoppers only', async () => {
    const p = await sellable(3000, 2);
    const s = await phoneShopper();
    const inStock = await api('POST', '/store/v1/me/restock-subscriptions', { token: s.token, body: { skuId: p.skuId } });
    expect(inStock.status).toBe(409);
    expect(inStock.body.error.code).toBe('members.sku_in_stock');
    await api('POST', `/admin/v1/skus/${p.skuId}/stock-adjustments`, { token: admin, body: { setTo: 0, reason: 'stocktake' } });
    const sub = await api('POST', '/store/v1/me/restock-subscriptions', { token: s.token, body: { skuId: p.skuId } });
    expect(sub.status).toBe(201);
    expect(sub.body).toMatchObject({ skuId: p.skuId, productId: p.productId, status: 'waiting' });
    const again = await api('POST', '/store/v1/me/restock-subscriptions', { token: s.token, body: { skuId: p.skuId } });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(sub.body.id);
    expect((await api('GET', `/store/v1/me/product-watch/${p.productId}`, { token: s.token })).body.restockSkuIds).toEqual([p.skuId]);
    expect((await api('POST', '/store/v1/me/restock-subscriptions', { token: s.token, body: { skuId: 'sku_nope0000' } })).status).toBe(404);
    expect((await api('POST', '/store/v1/me/restock-subscriptions', { token: s.token, body: {} })).status).toBe(400);
    expect((await api('POST', '/store/v1/me/restock-subscriptions', { body: { skuId: p.skuId } })).status).toBe(401);
    expect((await api('POST', '/store/v1/me/restock-subscriptions', { token: admin, body: { skuId: p.skuId } })).status).toBe(403);
    expect((await api('DELETE', `/store/v1/me/restock-subscriptions/${p.skuId}`, { token: s.token })).status).toBe(204);
    expect((await api('GET', '/store/v1/me/restock-subscriptions', { token: s.token })).body.items).toEqual([]);
    // staff see the demand; support may look, a merchant may not
    await api('POST', '/store/v1/me/restock-subscriptions', { token: s.token, body: { skuId: p.skuId } });
    const demand = await api('GET', '/admin/v1/restock-demand', { token: await staffToken('support') });
    expect(demand.body.items.find((d: any) => d.skuId === p.skuId)).toMatchObject({ waiting: 1, stock: 0 });
    expect((await api('GET', '/admin/v1/restock-demand', { token: await staffToken('merchant', 'mch_platform') })).status).toBe(403);
  });

  it('when stock returns (adjustStock), each waiting shopper hears once — however often and concurrently the cron runs', async () => {
    const p = await sellable(8900, 1);
    await api('POST', `/admin/v1/skus/${p.skuId}/stock-adjustments`, { token: admin, body: { setTo: 0, reason: 'stocktake' } });
    const a = await phoneShopper();
    const b = await phoneShopper();
    for (const s of [a, b])
      expect((await api('POST', '/store/v1/me/restock-subscriptions', { token: s.token, body: { skuId: p.skuId } })).status).toBe(201);
    const { ctx, sent } = spyCtx(bjAt(0, 12));
    await runRestockPushes(ctx);
    expect(await sendsOf(a.userId, 'restock')).toEqual([]); // still sold out

    const restock = await api('POST', `/admin/v1/skus/${p.skuId}/stock-adjustments`, {
      token: admin,
      body: { delta: 5, reason: 'restock' },
      headers: { 'idempotency-key': `rs-${crypto.randomUUID()}` },
    });
    expect(restock.status).toBe(200);
    await Promise.all([runRestockPushes(ctx), runRestockPushes(ctx)]);
    await runRestockPushes(ctx);
    const sms: SmsPayload[] = [];
    setNotificationProviders({ sms: { channel: 'sms', send: async (x) => (sms.push(x), { status: 'sent' }) } });
    for (const s of [a, b]) {
      const rows = await sendsOf(s.userId, 'restock');
      expect(rows).toHaveLength(1);
      expect(rows[0]!.status).toBe('queued');
      expect(await deliverTemplatedSend(ctx, rows[0]!.id)).toBe('sent');
    }
    expect(sent.filter((m) => m.data.sendId)).toHaveLength(2);
    expect(sms.map((x) => x.params)).toEqual([
      expect.objectContaining({ price: '89.00', productName: expect.stringContaining('测试商品') }),
      expect.objectContaining({ price: '89.00' }),
    ]);
    const mine = await api('GET', '/store/v1/me/restock-subscriptions', { token: a.token });
    expect(mine.body.items[0]).toMatchObject({ status: 'notified', notifiedAt: expect.any(String) });
    // sold out and back again: the finished subscription does not fire again
    await api('POST', `/admin/v1/skus/${p.skuId}/stock-adjustments`, { token: admin, body: { setTo: 0, reason: 'stocktake' } });
    await api('POST', `/admin/v1/skus/${p.skuId}/stock-adjustments`, { token: admin, body: { setTo: 3, reason: 'stocktake' } });
    await runRestockPushes(spyCtx(bjAt(1, 12)).ctx);
    expect(await sendsOf(a.userId, 'restock')).toHaveLength(1);
  });
});

describe('降价提醒', () => {
  it('a favourite whose price falls below the favourited price is told once; again only after a week and a further drop', async () => {
    const p = await sellable(10000, 5);
    const s = await phoneShopper();
    await api('PUT', `/store/v1/me/favorites/${p.productId}`, { token: s.token });
    const setPrice = (fen: number) => env.DB.prepare('UPDATE products SET min_price = ? WHERE id = ?').bind(fen, p.productId).run();

    await runPriceDropPushes(spyCtx(bjAt(1, 12)).ctx);
    expect(await sendsOf(s.userId, 'price_drop')).toEqual([]); // no drop yet
    await setPrice(8000);
    await Promise.all([runPriceDropPushes(spyCtx(bjAt(1, 13)).ctx), runPriceDropPushes(spyCtx(bjAt(1, 13)).ctx)]);
    let rows = await sendsOf(s.userId, 'price_drop');
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.vars)).toMatchObject({ oldPrice: '100.00', newPrice: '80.00' });
    // a further drop the same week: throttled
    await setPrice(7000);
    await runPriceDropPushes(spyCtx(bjAt(3, 12)).ctx);
    expect(await sendsOf(s.userId, 'price_drop')).toHaveLength(1);
    // a week later it is measured from the last notified price (80 → 70)
    await runPriceDropPushes(spyCtx(bjAt(9, 12)).ctx);
    rows = await sendsOf(s.userId, 'price_drop');
    expect(rows).toHaveLength(2);
    expect(JSON.parse(rows[1]!.vars)).toMatchObject({ oldPrice: '80.00', newPrice: '70.00' });
    // no further drop, no message
    await runPriceDropPushes(spyCtx(bjAt(17, 12)).ctx);
    expect(await sendsOf(s.userId, 'price_drop')).toHaveLength(2);
  });
});

describe('上新 digest', () => {
  it('once a day from 10:00, one message for the products put on sale yesterday in the followed categories', async () => {
    const tree = await makeCategoryTree(admin);
    const s = await phoneShopper();
    expect((await api('PUT', `/store/v1/me/category-follows/${tree.l1}`, { token: s.token })).body.items).toEqual([
      expect.objectContaining({ categoryId: tree.l1 }),
    ]);
    expect((await api('PUT', '/store/v1/me/category-follows/cat_nope0000', { token: s.token })).status).toBe(404);
    // the products are published today; tomorrow's digest tells of them
    await makeProduct(admin, tree.l3, { title: '新款保温杯A' });
    await makeProduct(admin, tree.l3, { title: '新款保温杯B' });
    await runNewArrivalDigests(spyCtx(bjAt(1, 9)).ctx); // before 10:00
    expect(await sendsOf(s.userId, 'new_arrivals')).toEqual([]);
    await Promise.all([runNewArrivalDigests(spyCtx(bjAt(1, 10)).ctx), runNewArrivalDigests(spyCtx(bjAt(1, 11)).ctx)]);
    const rows = await sendsOf(s.userId, 'new_arrivals');
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.vars)).toMatchObject({ count: '2', productName: expect.stringMatching(/^新款保温杯/) });
    await runNewArrivalDigests(spyCtx(bjAt(1, 15)).ctx);
    expect(await sendsOf(s.userId, 'new_arrivals')).toHaveLength(1);
    expect((await api('DELETE', `/store/v1/me/category-follows/${tree.l1}`, { token: s.token })).body.items).toEqual([]);
  });
});
