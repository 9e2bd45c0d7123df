import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, api, env, staffToken } from '../../../test/helpers';
import { systemCtx } from '../../../test/ctx';
import { placeOrder, sellable, shopperWithAddress } from '../../../test/shop';
import { shanghaiDay } from '../../shared/calendar';
import { setClockOffset } from '../../shared/clock';
import { LOW_PERFORMER_MIN_VIEWS } from './calendar.service';
import { attributeContentOrders } from './metrics.service';

const DAY = 86_400_000;
let admin: string;
let product: { productId: string; skuId: string };
beforeAll(async () => {
  admin = await adminToken();
  product = await sellable(1990, 50);
});
afterEach(() => setClockOffset(0));

async function liveArticle(extra: Record<string, unknown> = {}) {
  const d = await api('POST', '/admin/v1/content/articles', {
    token: admin,
    body: {
      kind: 'scene_guide',
      title: '通勤好物',
      body: `<p>通勤 ${crypto.randomUUID()} ${Math.random()}</p>`,
      productIds: [product.productId],
      publishAt: new Date(Date.now() - 1000).toISOString(),
      ...extra,
    },
  });
  expect(d.status, JSON.stringify(d.body)).toBe(201);
  await api('POST', `/admin/v1/content/articles/${d.body.id}/submit`, { token: admin });
  return d.body.id as string;
}
const event = (id: string, body: Record<string, unknown>, token?: string) =>
  api('POST', `/store/v1/articles/${id}/events`, { token, body });
const metrics = async (id: string, token = admin) => (await api('GET', `/admin/v1/content/articles/${id}`, { token })).body.metrics;

describe('content metrics', () => {
  it('a view, click or share counts once per shopper/device a day (also in a burst); dwell keeps the longest', async () => {
    const id = await liveArticle();
    const s = await shopperWithAddress();
    const views = await Promise.all(Array.from({ length: 8 }, () => event(id, { kind: 'view' }, s.token)));
    expect(views.map((r) => r.body.counted).filter(Boolean)).toHaveLength(1);
    expect((await event(id, { kind: 'view', deviceId: 'device-abc-123' })).body.counted).toBe(true);
    expect((await event(id, { kind: 'view', deviceId: 'device-abc-123' })).body.counted).toBe(false);
    for (const seconds of [10, 30, 20]) await event(id, { kind: 'dwell', seconds }, s.token);
    await event(id, { kind: 'dwell', seconds: 5 }, undefined);
    await event(id, { kind: 'dwell', seconds: 15, deviceId: 'device-abc-123' });
    await Promise.all([1, 2, 3].map(() => event(id, { kind: 'click', productId: product.productId }, s.token)));
    await event(id, { kind: 'share' }, s.token);
    expect(await metrics(id)).toMatchObject({ views: 2, dwellSeconds: 45, clicks: 1, shares: 1, ctr: 0.5, avgDwellSeconds: 22.5 });

    // the next Beijing day the same shopper counts again
    setClockOffset(DAY);
    expect((await event(id, { kind: 'view' }, (await shopperWithAddress(`x-${crypto.randomUUID()}`)).token)).body.counted).toBe(true);
  });

  it('refuses a click on a product not in the article, no shopper or device, bad input, content not public', async () => {
    const id = await liveArticle();
    const other = await sellable(500);
    expect((await event(id, { kind: 'click', productId: other.productId, deviceId: 'device-zzz-999' })).body.error.code).toBe(
      'content.product_not_in_article',
    );
    expect((await event(id, { kind: 'view' })).body.error.code).toBe('content.subject_required');
    expect((await event(id, { kind: 'dwell', deviceId: 'device-zzz-999' })).status).toBe(400);
    expect((await event(id, { kind: 'view', seconds: 3, deviceId: 'device-zzz-999' })).status).toBe(400);
    expect((await event(id, { kind: 'view', deviceId: 'x' })).status).toBe(400);
    const later = await liveArticle({ publishAt: new Date(Date.now() + DAY).toISOString() });
    expect((await event(later, { kind: 'view', deviceId: 'device-zzz-999' })).status).toBe(404);
  });

  it('an order of the article’s product paid within the window after a view/click is attributed once', async () => {
    const id = await liveArticle();
    const s = await shopperWithAddress();
    await event(id, { kind: 'view' }, s.token);
    await event(id, { kind: 'click', productId: product.productId }, s.token);
    const o = await placeOrder(s.token, s.addressId, product.skuId, 1);
    expect(o.status, JSON.stringify(o.body)).toBe(201);
    const orderId = o.body.orders[0].id as string;
    expect((await api('POST', `/store/v1/orders/${orderId}/pay`, { token: s.token })).status).toBe(200);
    expect((await api('POST', `/sandbox/wechatpay/transactions/${o.body.checkoutId}/pay`)).body.notification.status).toBe(204);
    // a shopper who never saw the article orders too: not attributed
    const stranger = await shopperWithAddress();
    const o2 = await placeOrder(stranger.token, stranger.addressId, product.skuId, 1);
    await api('POST', `/store/v1/orders/${o2.body.orders[0].id}/pay`, { token: stranger.token });
    await api('POST', `/sandbox/wechatpay/transactions/${o2.body.checkoutId}/pay`);

    expect(await attributeContentOrders(systemCtx())).toBe(1);
    expect(await attributeContentOrders(systemCtx())).toBe(0);
    expect((await metrics(id)).orders).toBe(1);
  });
});

describe('content calendar (内容日历)', () => {
  it('shows content per Beijing day with metrics, seasonal items prepared ahead, and flags low performers', async () => {
    const ids = [await liveArticle({ title: '好A' }), await liveArticle({ title: '好B' }), await liveArticle({ title: '差C' })];
    const today = shanghaiDay(Date.now());
    const clicks = [40, 30, 2];
    await env.DB.batch(
      ids.map((id, i) =>
        env.DB.prepare(
          `INSERT INTO content_metrics_daily (content_id, day, views, clicks) VALUES (?1, ?2, ?3, ?4)
           ON CONFLICT DO UPDATE SET views = excluded.views, clicks = excluded.clicks`,
        ).bind(id, today, LOW_PERFORMER_MIN_VIEWS * 2, clicks[i]),
      ),
    );
    const seasonal = await api('POST', '/admin/v1/content/articles', {
      token: admin,
      body: { kind: 'topic', title: '春节年货清单', body: '<p>年货</p>', seasonTag: '春节' },
    });
    const month = today.slice(0, 7);
    const cal = await api('GET', `/admin/v1/content/calendar?from=${month}`, { token: admin });
    expect(cal.status, JSON.stringify(cal.body)).toBe(200);
    const day = cal.body.days.find((d: any) => d.day === today);
    const byId = new Map(day.items.map((x: any) => [x.id, x]));
    expect(byId.get(ids[2]!)).toMatchObject({ lowPerformer: true, live: true, metrics: { views: 200, clicks: 2 } });
    expect(byId.get(ids[0]!)).toMatchObject({ lowPerformer: false });
    expect(cal.body.medianCtr).toBe(0.15);
    expect(cal.body.unscheduled.find((x: any) => x.id === seasonal.body.id)).toMatchObject({ seasonTag: '春节', status: 'draft' });

    expect((await api('GET', '/admin/v1/content/calendar?from=2026-13', { token: admin })).status).toBe(400);
    expect((await api('GET', '/admin/v1/content/calendar?from=2026-01&to=2026-06', { token: admin })).status).toBe(400);
    expect((await api('GET', '/admin/v1/content/calendar?from=2026-03&to=2026-01', { token: admin })).status).toBe(400);
    expect((await api('GET', `/admin/v1/content/calendar?from=${month}`, { token: await staffToken('support') })).status).toBe(403);
  });
});
