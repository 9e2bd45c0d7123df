import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, api, staffToken } from '../../../test/helpers';
import { sellable } from '../../../test/shop';
import { setClockOffset } from '../../shared/clock';

const HOUR = 3_600_000;
const KEY = 'img/202612/med_0123456789abcdef.png';
let admin: string;
let onSale: string;
let offSale: string;
beforeAll(async () => {
  admin = await adminToken();
  onSale = (await sellable(2590)).productId;
  offSale = (await sellable(990)).productId;
  await api('PATCH', `/admin/v1/products/${offSale}`, { token: admin, body: { status: 'off_sale' } });
});
afterEach(() => setClockOffset(0));

const create = (body: unknown, token = admin) => api('POST', '/admin/v1/home-sections', { token, body });
const home = async () => (await api('GET', '/store/v1/home/sections')).body.items as any[];

async function liveArticle(publishAt: number) {
  const d = await api('POST', '/admin/v1/content/articles', {
    token: admin,
    body: {
      kind: 'scene_guide',
      title: '家庭清洁必备清单',
      body: `<p>清洁清单 ${crypto.randomUUID()}</p>`,
      publishAt: new Date(publishAt).toISOString(),
    },
  });
  expect((await api('POST', `/admin/v1/content/articles/${d.body.id}/submit`, { token: admin })).body.status).toBe('scheduled');
  return d.body.id as string;
}

describe('home sections (首页装修)', () => {
  it('banners, topic entries and rails show in order within their schedule; rails drop off-sale products', async () => {
    const rail = await create({ kind: 'product_rail', title: '好物推荐', payload: { productIds: [offSale, onSale] } });
    expect(rail.status, JSON.stringify(rail.body)).toBe(201);
    const banner = await create({
      kind: 'banner',
      title: '双11',
      payload: { slides: [{ imageMediaKey: KEY, title: '双11狂欢', link: { type: 'product', target: onSale } }] },
      startsAt: new Date(Date.now() + HOUR).toISOString(),
      endsAt: new Date(Date.now() + 3 * HOUR).toISOString(),
    });
    expect(banner.body).toMatchObject({ showingNow: false });
    let items = await home();
    const r = items.find((s) => s.id === rail.body.id);
    expect(r.products.map((p: any) => p.productId)).toEqual([onSale]);
    expect(r.products[0]).toMatchObject({ price: 2590, onSale: true });
    expect(items.find((s) => s.id === banner.body.id)).toBeUndefined();

    setClockOffset(HOUR + 1000);
    items = await home();
    const b = items.find((s) => s.id === banner.body.id);
    expect(b.slides[0]).toMatchObject({ title: '双11狂欢', link: { type: 'product', target: onSale } });
    expect(b.slides[0].imageUrl).toContain(KEY);
    setClockOffset(3 * HOUR + 1000);
    expect((await home()).find((s) => s.id === banner.body.id)).toBeUndefined();
    setClockOffset(0);

    // reorder: the banner first
    const all = (await api('GET', '/admin/v1/home-sections', { token: admin })).body.items.map((s: any) => s.id);
    const order = [banner.body.id, ...all.filter((id: string) => id !== banner.body.id)];
    const re = await api('PUT', '/admin/v1/home-sections/order', { token: admin, body: { ids: order } });
    expect(re.status).toBe(200);
    expect(re.body.items.map((s: any) => s.id)).toEqual(order);
    const partial = await api('PUT', '/admin/v1/home-sections/order', { token: admin, body: { ids: order.slice(1) } });
    expect(partial.status).toBe(409);
    expect(partial.body.error.code).toBe('content.reorder_mismatch');
    expect((await api('GET', '/admin/v1/home-sections', { token: admin })).body.items.map((s: any) => s.id)).toEqual(order);

    // a change shows at once (this isolate drops its cache)
    await api('PATCH', `/admin/v1/home-sections/${rail.body.id}`, { token: admin, body: { enabled: false } });
    expect((await home()).find((s) => s.id === rail.body.id)).toBeUndefined();
    expect((await api('DELETE', `/admin/v1/home-sections/${rail.body.id}`, { token: admin })).status).toBe(204);
    expect((await api('DELETE', `/admin/v1/home-sections/${rail.body.id}`, { token: admin })).status).toBe(404);
  });

  it('create with an Idempotency-Key adds one section; a repeat returns it', async () => {
    const headers = { 'idempotency-key': `k-${crypto.randomUUID()}` };
    const body = { kind: 'product_rail', title: '重复提交', payload: { productIds: [onSale] } };
    const [a, b] = await Promise.all([1, 2].map(() => api('POST', '/admin/v1/home-sections', { token: admin, body, headers })));
    expect([a!.status, b!.status].sort()).toEqual([200, 201]);
    expect(a!.body.id).toBe(b!.body.id);
    const all = (await api('GET', '/admin/v1/home-sections', { token: admin })).body.items;
    expect(all.filter((s: any) => s.title === '重复提交')).toHaveLength(1);
    expect((await api('GET', `/admin/v1/home-sections/${a!.body.id}`, { token: admin })).body).toMatchObject({ title: '重复提交' });
  });

  it('a topic entry to a scheduled article appears at the article’s time', async () => {
    const articleId = await liveArticle(Date.now() + HOUR);
    const s = await create({
      kind: 'topic_entry',
      title: '场景指南',
      payload: { entries: [{ title: '清洁清单', link: { type: 'article', target: articleId } }] },
    });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    expect((await home()).find((x) => x.id === s.body.id)).toBeUndefined();
    setClockOffset(HOUR + 1000);
    expect((await home()).find((x) => x.id === s.body.id).entries[0].link).toEqual({ type: 'article', target: articleId });
  });

  it('refuses bad payloads, unknown references and lower roles', async () => {
    const bad = async (body: unknown, code = 400) => expect((await create(body)).status, JSON.stringify(body)).toBe(code);
    await bad({ kind: 'banner', title: 'x', payload: { productIds: [onSale] } });
    await bad({ kind: 'product_rail', title: 'x', payload: { productIds: [] } });
    await bad({
      kind: 'topic_entry',
      title: 'x',
      payload: { entries: [{ title: 'a', link: { type: 'path', target: 'https://evil.test' } }] },
    });
    await bad({
      kind: 'product_rail',
      title: 'x',
      payload: { productIds: [onSale] },
      startsAt: '2026-12-02T00:00:00Z',
      endsAt: '2026-12-01T00:00:00Z',
    });
    const unknown = await create({ kind: 'product_rail', title: 'x', payload: { productIds: ['prd_missing0000'] } });
    expect(unknown.body.error.code).toBe('content.product_not_found');
    const rail = await create({ kind: 'product_rail', title: 'x', payload: { productIds: [onSale] } });
    const patch = await api('PATCH', `/admin/v1/home-sections/${rail.body.id}`, { token: admin, body: { payload: { slides: [] } } });
    expect(patch.status).toBe(400);
    const merchant = await staffToken('merchant', 'mch_platform');
    expect((await create({ kind: 'product_rail', title: 'x', payload: { productIds: [onSale] } }, merchant)).status).toBe(403);
    expect((await api('GET', '/admin/v1/home-sections', { token: merchant })).status).toBe(403);
  });
});
