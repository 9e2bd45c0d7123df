import { describe, expect, it } from 'vitest';
import { SELF } from 'cloudflare:test';
import { api, adminToken, env } from '../../../test/helpers';
import { makeCategoryTree, makeProduct } from '../../../test/catalog';
import { app } from '../../app';
import { pathAndSearch } from './store-fast-path';

// The fast path answers from memory what the routes would; these requests go through the real
// Worker (SELF) and through app.fetch with a D1 binding that refuses to be used.
const noD1 = new Proxy(env.DB, {
  get() {
    throw new Error('D1 touched on a memory hit');
  },
});
const get = (path: string, headers: Record<string, string> = {}, over: Partial<typeof env> = {}) =>
  app.fetch(new Request(`http://edgemall.test${path}`, { headers }), { ...env, ...over } as typeof env);

describe('anonymous catalog reads from memory, before the router', () => {
  it('serves detail, a category page and the tree with no D1 at all, with the same bytes, ETag and CORS the routes send', async () => {
    const token = await adminToken();
    const { l1, l3 } = await makeCategoryTree(token);
    const p = await makeProduct(token, l3, { title: `快路径保温杯 ${crypto.randomUUID().slice(0, 6)}` });
    for (const path of [`/store/v1/products/${p.id}`, `/store/v1/products?categoryId=${l1}&limit=20`, '/store/v1/categories']) {
      const first = await SELF.fetch(`http://edgemall.test${path}`); // warms memory through the routes
      expect(first.status).toBe(200);
      const body = await first.text();
      const hit = await get(path, { origin: 'https://h5.example' }, { DB: noD1 as D1Database });
      expect(hit.status).toBe(200);
      expect(await hit.text()).toBe(body);
      expect(hit.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(hit.headers.get('access-control-allow-origin')).toBe('https://h5.example');
      expect(hit.headers.get('x-request-id')).toBeTruthy();
      const same = await get(path, { 'if-none-match': first.headers.get('etag')! }, { DB: noD1 as D1Database });
      expect(same.status).toBe(304);
    }
  });

  it('a price change shows at once; what memory cannot answer goes through the app', async () => {
    const token = await adminToken();
    const { l3 } = await makeCategoryTree(token);
    const p = await makeProduct(token, l3, { title: `改价商品 ${crypto.randomUUID().slice(0, 6)}` });
    const path = `/store/v1/products/${p.id}`;
    await SELF.fetch(`http://edgemall.test${path}`);
    const skus = p.skus.map((s: any) => ({ id: s.id, specValues: s.specValues, price: 4321 }));
    const upd = await api('PATCH', `/admin/v1/products/${p.id}`, { token, body: { skus } });
    expect(upd.status).toBe(200);
    const after = await (await SELF.fetch(`http://edgemall.test${path}`)).json<{ skus: { price: number }[] }>();
    expect(after.skus[0]!.price).toBe(4321);
    // invalid input is the router's to refuse; a signed-in call is authenticated as always
    expect((await get('/store/v1/products?limit=0')).status).toBe(400);
    expect((await get(path, { authorization: 'Bearer not-a-token' })).status).toBe(401);
    expect((await get('/store/v1/products/x')).status).toBe(400);
  });
});

describe('pathAndSearch', () => {
  it('slices what new URL() would give, and leaves a fragment to the router', () => {
    for (const href of [
      'http://edgemall.test/store/v1/products/prd_1',
      'https://a.b:8443/store/v1/products?categoryId=c&sort=price_asc',
      'http://x/store/v1/products?',
      'http://x/',
      'http://x/store/v1/products/%E6%B0%B4?q=%2F',
    ]) {
      const u = new URL(href);
      expect(pathAndSearch(href)).toEqual({ path: u.pathname, search: u.search });
    }
    expect(pathAndSearch('http://x/store/v1/products#top')).toBeNull();
  });
});
