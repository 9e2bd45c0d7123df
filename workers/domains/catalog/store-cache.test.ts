import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, adminToken, env, shopperToken } from '../../../test/helpers';
import { makeCategoryTree, makeProduct } from '../../../test/catalog';
import { getDb } from '../../shared/db';
import { createLogger } from '../../shared/log';
import type { Actor, Ctx } from '../../shared/context';
import { ListProductsQuery } from './dto';
import { updateProduct, deleteProduct } from './products.service';
import { updateCategory } from './categories.service';
import { adjustStock, productTotalsStatement, stockChangeStatements } from './stock.service';
import { applyDuePriceChanges, schedulePriceChange } from './pricing.service';
import { catalogChangeStatements, STORE_READ_FRESHNESS } from './cache-versions';
import {
  storeCacheStats,
  storeCategoryTreePage,
  storeProductListPage,
  storeProductListPageFromMemory,
  storeProductPage,
  storeProductPageFromMemory,
} from './store-cache';

// These tests drive the read caches through their service functions with a clock of their own:
// each test starts an hour after the last, so nothing cached by another test (or by a request
// through SELF, on the real clock) is fresh for it, and "0.4 s later" means exactly that.
let clockBase = Date.now() + 3_600_000;
const testClock = () => (clockBase += 3_600_000);
const { freshMs, maxAgeMs } = STORE_READ_FRESHNESS;

const admin: Actor = { kind: 'staff', staffId: 'stf_cachetest00001', role: 'admin', merchantId: null, sessionId: 'ses_cachetest' };

/** A context over the test bindings; `db` may be a counting wrapper of env.DB. */
function ctxAt(now: number, opts: { db?: D1Database; actor?: Actor; waitUntil?: Ctx['waitUntil'] } = {}): Ctx {
  const d1 = opts.db ?? env.DB;
  return {
    db: getDb(d1),
    env: { ...env, DB: d1 },
    actor: opts.actor ?? { kind: 'anonymous' },
    now,
    requestId: 'test',
    log: createLogger(),
    waitUntil: opts.waitUntil,
  };
}

/** env.DB wrapped so every statement prepared, batch and exec is counted. */
function countingDb() {
  const calls: string[] = [];
  const db = new Proxy(env.DB, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (prop === 'prepare' || prop === 'batch' || prop === 'exec') calls.push(String(prop));
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { db, calls };
}

const q = (raw: Record<string, string>) => ListProductsQuery.parse(raw);
const detail = async (now: number, id: string, db?: D1Database) => JSON.parse((await storeProductPage(ctxAt(now, { db }), id)).text);
const list = async (now: number, raw: Record<string, string>, db?: D1Database) =>
  JSON.parse((await storeProductListPage(ctxAt(now, { db }), q(raw))).text) as { items: any[]; nextCursor: string | null };
const statusOf = (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (e: { status?: number }) => e.status,
  );
const one = (price: number, stock: number) => ({ specDims: [], skuDefaults: undefined, skus: [{ specValues: [], price, stock }] });

async function shop(products: Record<string, unknown>[] = [{}]) {
  const token = await adminToken();
  const cats = await makeCategoryTree(token);
  const made = [];
  for (const over of products) made.push(await makeProduct(token, cats.l3, over));
  return { token, cats, products: made };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('storefront catalog cache: hits', () => {
  it('a detail, list or tree hit does no D1 query and no Cache API call', async () => {
    const { cats, products } = await shop();
    const p = products[0];
    const t0 = testClock();
    const { db, calls } = countingDb();
    const first = await storeProductPage(ctxAt(t0, { db }), p.id);
    const firstList = await storeProductListPage(ctxAt(t0, { db }), q({ categoryId: cats.l1 }));
    await storeCategoryTreePage(ctxAt(t0, { db }));
    expect(calls.length).toBeGreaterThan(3); // tokens, live state, body, list, tree
    calls.length = 0;
    const match = vi.spyOn(caches.default, 'match');
    const again = await storeProductPage(ctxAt(t0 + freshMs, { db }), p.id);
    const againList = await storeProductListPage(ctxAt(t0 + freshMs, { db }), q({ categoryId: cats.l1, limit: '20' }));
    const tree = await storeCategoryTreePage(ctxAt(t0 + freshMs, { db }));
    expect(calls).toEqual([]);
    expect(match).not.toHaveBeenCalled();
    expect(again.text).toBe(first.text);
    expect(againList.text).toBe(firstList.text);
    expect(JSON.parse(tree.text).items.some((n: { id: string }) => n.id === cats.l1)).toBe(true);
    // the routes' memory probes see the same pages while fresh, and nothing once stale
    expect(storeProductPageFromMemory(p.id, t0 + freshMs)?.text).toBe(first.text);
    expect(storeProductListPageFromMemory(q({ categoryId: cats.l1 }), t0 + freshMs)?.text).toBe(firstList.text);
    expect(storeProductPageFromMemory(p.id, t0 + freshMs + 1)).toBeNull();
  });

  it('equal queries share an entry (defaults, coerced values, unknown params); different ones never leak', async () => {
    const { cats, products } = await shop([
      { title: '山川保温水壶 1L', ...one(8900, 5) },
      { title: '玻璃水杯 双层隔热', ...one(1990, 0) },
      { title: '陶瓷马克杯 大容量', ...one(3900, 9) },
    ]);
    const [kettle, glass, mug] = products.map((p) => p.id);
    const other = await shop([{ title: '纯棉毛巾 加厚吸水', ...one(2990, 5) }]);
    const t0 = testClock();
    const { db, calls } = countingDb();
    const base = { categoryId: cats.l1, sort: 'price_asc' };
    const ids = (page: { items: { id: string }[] }) => page.items.map((i) => i.id);
    expect(ids(await list(t0, { ...base, inStock: 'true' }, db))).toEqual([mug, kettle]);
    calls.length = 0;
    expect(ids(await list(t0, { ...base, inStock: '1', limit: '20', utm: 'x' }, db))).toEqual([mug, kettle]);
    expect(calls).toEqual([]);
    // every other query is its own entry, interleaved with the first: each answer stays its own
    expect(ids(await list(t0, { ...base, inStock: 'false' }, db))).toEqual([glass]);
    expect(ids(await list(t0, { ...base }, db))).toEqual([glass, mug, kettle]);
    expect(ids(await list(t0, { ...base, sort: 'price_desc' }, db))).toEqual([kettle, mug, glass]);
    expect(ids(await list(t0, { ...base, minPrice: '3000' }, db))).toEqual([mug, kettle]);
    expect(ids(await list(t0, { categoryId: other.cats.l1 }, db))).toEqual([other.products[0].id]);
    // Chinese keyword search: a 2-character word (LIKE) and a 4-character one (trigram MATCH)
    expect(ids(await list(t0, { q: '水杯' }, db))).toEqual([glass]);
    expect(ids(await list(t0, { q: '保温水壶' }, db))).toEqual([kettle]);
    expect(ids(await list(t0, { q: '水杯', categoryId: other.cats.l1 }, db))).toEqual([]);
    // cursor pages are distinct entries too
    const page1 = await list(t0, { ...base, limit: '2' }, db);
    const page2 = await list(t0, { ...base, limit: '2', cursor: page1.nextCursor! }, db);
    expect([...ids(page1), ...ids(page2)]).toEqual([glass, mug, kettle]);
    expect(ids(await list(t0, { ...base, inStock: 'true' }, db))).toEqual([mug, kettle]);
  });

  it('a signed-in shopper gets the same bytes as an anonymous one (nothing cached depends on the caller)', async () => {
    const { products } = await shop();
    const anonymous = await api('GET', `/store/v1/products/${products[0].id}`);
    const signedIn = await api('GET', `/store/v1/products/${products[0].id}`, { token: await shopperToken('cache-same-bytes') });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toEqual(anonymous.body);
    const t0 = testClock();
    const asShopper = await storeProductPage(ctxAt(t0, { actor: { kind: 'user', userId: 'usr_x', sessionId: 's' } }), products[0].id);
    expect(asShopper.text).toBe((await storeProductPage(ctxAt(t0), products[0].id)).text);
  });

  it('answers If-None-Match with 304 while unchanged, and a new ETag after a price change', async () => {
    const { token, products } = await shop();
    const p = products[0];
    const first = await api('GET', `/store/v1/products/${p.id}`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const same = await api('GET', `/store/v1/products/${p.id}`, { headers: { 'if-none-match': etag } });
    expect(same.status).toBe(304);
    expect(same.body).toBeNull();
    const skus = p.skus.map((s: any) => ({ id: s.id, specValues: s.specValues, price: s.price - 1000 }));
    expect((await api('PATCH', `/admin/v1/products/${p.id}`, { token, body: { skus } })).status).toBe(200);
    const changed = await api('GET', `/store/v1/products/${p.id}`, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.body.skus[0].price).toBe(p.skus[0].price - 1000);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('keeps its memory bounded', async () => {
    const { cats } = await shop();
    const t0 = testClock();
    for (let i = 0; i < 520; i++) await storeProductListPage(ctxAt(t0), q({ categoryId: cats.l1, minPrice: String(i) }));
    const stats = storeCacheStats();
    expect(stats.lists.entries).toBe(500);
    expect(stats.lists.bytes).toBeLessThanOrEqual(6 * 1024 * 1024);
  });
});

describe('storefront catalog cache: writes in this isolate show at once', () => {
  it('an updateProduct price change shows at once on the detail, the category page and search', async () => {
    const { cats, products } = await shop([{ title: '钛合金保温杯 轻量', ...one(9900, 20) }]);
    const p = products[0];
    const t0 = testClock();
    expect((await detail(t0, p.id)).skus[0].price).toBe(9900);
    expect((await list(t0, { categoryId: cats.l1 })).items[0].minPrice).toBe(9900);
    expect((await list(t0, { q: '钛合金' })).items[0].minPrice).toBe(9900);
    await updateProduct(ctxAt(t0, { actor: admin }), p.id, { skus: [{ id: p.skus[0].id, specValues: [], price: 7900, initialStock: 0 }] });
    // same clock: every cached entry is still fresh, so only the write's own invalidation can show this
    const after = await detail(t0, p.id);
    expect(after.skus[0].price).toBe(7900);
    expect(after.minPrice).toBe(7900);
    expect((await list(t0, { categoryId: cats.l1 })).items[0].minPrice).toBe(7900);
    expect((await list(t0, { q: '钛合金' })).items[0].minPrice).toBe(7900);
  });

  it('a scheduled SKU price applied by the cron shows at once in that isolate', async () => {
    const { cats, products } = await shop([one(5000, 10)]);
    const p = products[0];
    const t0 = testClock();
    expect((await detail(t0, p.id)).skus[0].price).toBe(5000);
    expect((await list(t0, { categoryId: cats.l3 })).items[0].minPrice).toBe(5000);
    await schedulePriceChange(ctxAt(t0, { actor: admin }), p.skus[0].id, { price: 4500, effectiveAt: new Date(t0 + 60_000).toISOString() });
    expect(await applyDuePriceChanges(ctxAt(t0 + 60_000, { actor: { kind: 'system', name: 'cron' } }))).toBe(1);
    expect((await detail(t0, p.id)).skus[0].price).toBe(4500);
    expect((await list(t0, { categoryId: cats.l3 })).items[0].minPrice).toBe(4500);
  });

  it('unpublishing or deleting hides the product at once; disabling its category too', async () => {
    const { cats, products } = await shop([{ title: '下架测试杯' }, { title: '删除测试杯' }, { title: '停用分类测试杯' }]);
    const [off, gone, hidden] = products.map((p) => p.id);
    const t0 = testClock();
    for (const id of [off, gone, hidden]) expect(await statusOf(detail(t0, id))).toBe(200);
    expect((await list(t0, { categoryId: cats.l1 })).items).toHaveLength(3);
    await updateProduct(ctxAt(t0, { actor: admin }), off, { status: 'off_sale' });
    expect(await statusOf(detail(t0, off))).toBe(404);
    await deleteProduct(ctxAt(t0, { actor: admin }), gone);
    expect(await statusOf(detail(t0, gone))).toBe(404);
    expect((await list(t0, { categoryId: cats.l1 })).items.map((i) => i.id)).toEqual([hidden]);
    const tree = async () => JSON.parse((await storeCategoryTreePage(ctxAt(t0))).text).items.map((n: { id: string }) => n.id);
    expect(await tree()).toContain(cats.l1);
    await updateCategory(ctxAt(t0, { actor: admin }), cats.l2, { enabled: false });
    expect(await statusOf(detail(t0, hidden))).toBe(404);
    expect((await list(t0, { categoryId: cats.l1 })).items).toEqual([]);
    expect(await tree()).toContain(cats.l1); // l2 went, l1 stays
    await updateCategory(ctxAt(t0, { actor: admin }), cats.l1, { name: `改名${cats.l1.slice(-4)}`, enabled: true });
    await updateCategory(ctxAt(t0, { actor: admin }), cats.l2, { enabled: true });
    expect((await detail(t0, hidden)).categoryPath[0].name).toBe(`改名${cats.l1.slice(-4)}`);
  });

  it('an admin stock adjustment shows at once in this isolate', async () => {
    const { products } = await shop([one(3000, 50)]);
    const p = products[0];
    const t0 = testClock();
    expect((await detail(t0, p.id)).skus[0].stock).toBe(50);
    await adjustStock(ctxAt(t0, { actor: admin }), p.skus[0].id, { delta: 7, reason: 'restock', note: '' });
    const after = await detail(t0, p.id);
    expect(after.skus[0].stock).toBe(57);
    expect(after.totalStock).toBe(57);
  });
});

describe('storefront catalog cache: changes elsewhere show within the bound', () => {
  it('stock sold by an order shows within 1 s, without reloading the cached body', async () => {
    expect(maxAgeMs).toBeLessThanOrEqual(1000); // the bound the API docs state
    const { cats, products } = await shop([one(3000, 50)]);
    const p = products[0];
    const t0 = testClock();
    const { db, calls } = countingDb();
    expect((await detail(t0, p.id, db)).skus[0].stock).toBe(50);
    expect((await list(t0, { categoryId: cats.l3 }, db)).items[0].totalStock).toBe(50);
    // what checkout does: the stock statements in its own batch, and no cache call
    const sys = ctxAt(t0, { actor: { kind: 'system', name: 'order' } });
    await env.DB.batch(stockChangeStatements(sys, { skuId: p.skus[0].id, productId: p.id, change: { delta: -5 }, reason: 'sale' }));
    // within freshMs the cached snapshot is served: no per-request read
    expect((await detail(t0 + freshMs, p.id, db)).skus[0].stock).toBe(50);
    // past the bound: the live state and the list are re-read; the body is not
    calls.length = 0;
    const after = await detail(t0 + maxAgeMs + 1, p.id, db);
    expect(after.skus[0].stock).toBe(45);
    expect(after.totalStock).toBe(45);
    expect(calls).toEqual(['prepare', 'prepare']); // the version tokens and the product's live state
    expect((await list(t0 + maxAgeMs + 1, { categoryId: cats.l3 }, db)).items[0].totalStock).toBe(45);
  });

  it('between freshMs and the bound, the last snapshot is served while one background refresh reads the new one', async () => {
    const { products } = await shop([one(3000, 50)]);
    const p = products[0];
    const t0 = testClock();
    expect((await detail(t0, p.id)).skus[0].stock).toBe(50);
    const sys = ctxAt(t0, { actor: { kind: 'system', name: 'order' } });
    await env.DB.batch(stockChangeStatements(sys, { skuId: p.skus[0].id, productId: p.id, change: { delta: -1 }, reason: 'sale' }));
    const background: Promise<unknown>[] = [];
    const later = ctxAt(t0 + freshMs + 100, { waitUntil: (x) => void background.push(x) });
    expect(JSON.parse((await storeProductPage(later, p.id)).text).skus[0].stock).toBe(50);
    expect(background.length).toBeGreaterThan(0);
    await Promise.all(background);
    expect(JSON.parse((await storeProductPage(later, p.id)).text).skus[0].stock).toBe(49);
  });

  it('a price change or unpublish made by another isolate shows within 1 s', async () => {
    const { cats, products } = await shop([
      { title: '别处改价杯', ...one(6000, 5) },
      { title: '别处下架杯', ...one(6100, 5) },
    ]);
    const [repriced, unpublished] = products;
    const t0 = testClock();
    expect((await detail(t0, repriced.id)).skus[0].price).toBe(6000);
    expect(await statusOf(detail(t0, unpublished.id))).toBe(200);
    expect((await list(t0, { categoryId: cats.l3, sort: 'price_asc' })).items.map((i) => i.minPrice)).toEqual([6000, 6100]);
    // Another isolate's writes: the same statements the services batch, but this isolate is not told.
    const elsewhere = ctxAt(t0, { actor: admin });
    const d1 = env.DB;
    await d1.batch([
      d1.prepare('UPDATE skus SET price = 5500 WHERE id = ?').bind(repriced.skus[0].id),
      productTotalsStatement(elsewhere, repriced.id),
      d1.prepare('UPDATE products SET version = version + 1 WHERE id = ?').bind(repriced.id),
      d1.prepare("UPDATE products SET status = 'off_sale', version = version + 1 WHERE id = ?").bind(unpublished.id),
      ...catalogChangeStatements(elsewhere, { productIds: [repriced.id, unpublished.id] }).statements,
    ]);
    // still within freshMs of this isolate's last reads: the cached answers
    expect((await detail(t0 + freshMs, repriced.id)).skus[0].price).toBe(6000);
    expect(await statusOf(detail(t0 + freshMs, unpublished.id))).toBe(200);
    // past the bound: the new price, and the unpublished product is gone from detail and list
    const t1 = t0 + maxAgeMs + 1;
    expect((await detail(t1, repriced.id)).skus[0].price).toBe(5500);
    expect(await statusOf(detail(t1, unpublished.id))).toBe(404);
    expect((await list(t1, { categoryId: cats.l3, sort: 'price_asc' })).items.map((i) => i.minPrice)).toEqual([5500]);
  });
});

describe('storefront catalog cache: batched live-state refresh', () => {
  it('every product served since the last refresh is re-read in one query; an unchanged one keeps its page', async () => {
    const { products } = await shop([one(1000, 10), one(2000, 20), one(3000, 30)]);
    const [a, b, c] = products;
    const t0 = testClock();
    for (const p of products) await detail(t0, p.id);
    const untouched = await storeProductPage(ctxAt(t0), c.id);
    const sys = ctxAt(t0, { actor: { kind: 'system', name: 'order' } });
    await env.DB.batch([
      ...stockChangeStatements(sys, { skuId: a.skus[0].id, productId: a.id, change: { delta: -1 }, reason: 'sale' }),
      ...stockChangeStatements(sys, { skuId: b.skus[0].id, productId: b.id, change: { delta: -2 }, reason: 'sale' }),
    ]);
    // one stale hit (on a) starts the refresh; it reads a, b and c together
    const { db, calls } = countingDb();
    const background: Promise<unknown>[] = [];
    const later = ctxAt(t0 + freshMs + 1, { db, waitUntil: (x) => void background.push(x) });
    expect(JSON.parse((await storeProductPage(later, a.id)).text).skus[0].stock).toBe(10);
    await Promise.all(background);
    expect(calls.filter((x) => x === 'prepare').length).toBeLessThanOrEqual(2); // the live states (+ the tokens)
    calls.length = 0;
    const after = t0 + freshMs + 2;
    expect(JSON.parse((await storeProductPage(ctxAt(after, { db }), a.id)).text).skus[0].stock).toBe(9);
    expect(JSON.parse((await storeProductPage(ctxAt(after, { db }), b.id)).text).skus[0].stock).toBe(18);
    expect(await storeProductPage(ctxAt(after, { db }), c.id)).toBe(untouched);
    expect(calls).toEqual([]);
  });

  it('the memory probe serves a stale page only with a context to refresh with, and never past the bound', async () => {
    const { products } = await shop([one(1000, 10)]);
    const p = products[0];
    const t0 = testClock();
    const first = await storeProductPage(ctxAt(t0), p.id);
    const background: Promise<unknown>[] = [];
    const refresh = ctxAt(t0 + freshMs + 1, { waitUntil: (x) => void background.push(x) });
    expect(storeProductPageFromMemory(p.id, t0 + freshMs + 1)).toBeNull();
    expect(storeProductPageFromMemory(p.id, t0 + freshMs + 1, refresh)).toBe(first);
    expect(background.length).toBeGreaterThan(0);
    await Promise.all(background);
    const expired = ctxAt(t0 + freshMs + 2 + maxAgeMs, { waitUntil: (x) => void background.push(x) });
    expect(storeProductPageFromMemory(p.id, expired.now, expired)).toBeNull();
  });
});
