import { beforeAll, describe, expect, it } from 'vitest';
import { api, adminToken } from '../../../test/helpers';
import { makeCategoryTree, makeProduct } from '../../../test/catalog';

const one = (price: number, stock: number) => ({ specDims: [], skuDefaults: undefined, skus: [{ specValues: [], price, stock }] });
let cats: { l1: string; l2: string; l3: string };
let other: { l1: string; l2: string; l3: string };
const ids: Record<string, string> = {};

beforeAll(async () => {
  const token = await adminToken();
  cats = await makeCategoryTree(token);
  other = await makeCategoryTree(token);
  ids.cup = (await makeProduct(token, cats.l3, { title: '不锈钢保温杯 500ml', ...one(4990, 10) })).id;
  ids.glass = (await makeProduct(token, cats.l3, { title: '玻璃水杯 双层隔热', ...one(1990, 0) })).id;
  ids.towel = (await makeProduct(token, other.l3, { title: '纯棉毛巾 加厚吸水', material: '新疆长绒棉', ...one(2990, 5) })).id;
  ids.kettle = (await makeProduct(token, cats.l2, { title: '电热水壶 304不锈钢', ...one(12900, 3) })).id;
  ids.draft = (await makeProduct(token, cats.l3, { title: '草稿保温杯', status: 'draft', ...one(100, 1) })).id;
});

const titles = (r: any) => r.body.items.map((p: any) => p.id);

describe('storefront product search and listing', () => {
  it('finds 不锈钢保温杯 when searching 保温杯 (bigram search index), never drafts', async () => {
    const r = await api('GET', `/store/v1/products?q=${encodeURIComponent('保温杯')}`);
    expect(r.status).toBe(200);
    expect(titles(r)).toEqual([ids.cup]);
  });

  it('matches two-character words (水杯, 毛巾) and attributes (材质)', async () => {
    expect(titles(await api('GET', `/store/v1/products?q=${encodeURIComponent('水杯')}`))).toEqual([ids.glass]);
    expect(titles(await api('GET', `/store/v1/products?q=${encodeURIComponent('毛巾')}`))).toEqual([ids.towel]);
    expect(titles(await api('GET', `/store/v1/products?q=${encodeURIComponent('长绒棉')}`))).toEqual([ids.towel]);
    expect(titles(await api('GET', `/store/v1/products?q=${encodeURIComponent('不锈钢 水壶')}`))).toEqual([ids.kettle]);
  });

  it('filters by category including sub-categories', async () => {
    const l2 = await api('GET', `/store/v1/products?categoryId=${cats.l2}&sort=price_asc`);
    expect(titles(l2)).toEqual([ids.glass, ids.cup, ids.kettle]);
    const l3 = await api('GET', `/store/v1/products?categoryId=${cats.l3}&sort=price_asc`);
    expect(titles(l3)).toEqual([ids.glass, ids.cup]);
  });

  it('filters by price range and stock, sorts by price', async () => {
    const r = await api('GET', `/store/v1/products?minPrice=2000&maxPrice=13000&sort=price_desc&categoryId=${cats.l1}`);
    expect(titles(r)).toEqual([ids.kettle, ids.cup]);
    const inStock = await api('GET', `/store/v1/products?inStock=true&categoryId=${cats.l1}&sort=price_asc`);
    expect(titles(inStock)).toEqual([ids.cup, ids.kettle]);
  });

  it('pages with a cursor without repeats or gaps', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: any = await api('GET', `/store/v1/products?limit=2&sort=price_asc${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...titles(r));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([ids.glass, ids.towel, ids.cup, ids.kettle]);
  });

  it('rejects bad query values with 400 and the parameter name', async () => {
    const r = await api('GET', '/store/v1/products?sort=cheapest&limit=1000');
    expect(r.status).toBe(400);
    expect(r.body.error.details.issues.map((i: any) => i.path).sort()).toEqual(['limit', 'sort']);
    const bad = await api('GET', '/store/v1/products?cursor=%%%');
    expect(bad.status).toBe(400);
  });

  it('one character is a search too; a query of punctuation alone matches nothing', async () => {
    const one = titles(await api('GET', `/store/v1/products?q=${encodeURIComponent('壶')}`));
    expect(one).toEqual([ids.kettle]);
    // before a space (or at the end of a field) a character is a token of its own: found as well
    expect(titles(await api('GET', `/store/v1/products?q=${encodeURIComponent('巾')}`))).toEqual([ids.towel]);
    const none = await api('GET', `/store/v1/products?q=${encodeURIComponent('-- !!')}`);
    expect(none.status).toBe(200);
    expect(none.body.items).toEqual([]);
  });
});

describe('the search index and the category listing follow every write', () => {
  it('an edited title is found by its new words only; a deleted product leaves listing and search', async () => {
    const token = await adminToken();
    const t = await makeCategoryTree(token);
    const p = await makeProduct(token, t.l3, { title: '旧款暖手宝', ...one(3990, 4) });
    expect(titles(await api('GET', `/store/v1/products?q=${encodeURIComponent('暖手宝')}`))).toEqual([p.id]);
    const edit = await api('PATCH', `/admin/v1/products/${p.id}`, { token, body: { title: '新款电暖袋' } });
    expect(edit.status).toBe(200);
    expect(titles(await api('GET', `/store/v1/products?q=${encodeURIComponent('暖手宝')}`))).toEqual([]);
    expect(titles(await api('GET', `/store/v1/products?q=${encodeURIComponent('电暖袋')}`))).toEqual([p.id]);
    expect(titles(await api('GET', `/store/v1/products?categoryId=${t.l1}`))).toEqual([p.id]);
    expect((await api('DELETE', `/admin/v1/products/${p.id}`, { token })).status).toBe(200);
    expect(titles(await api('GET', `/store/v1/products?categoryId=${t.l1}`))).toEqual([]);
    expect(titles(await api('GET', `/admin/v1/products?categoryId=${t.l1}`, { token }))).toEqual([]);
    expect(titles(await api('GET', `/store/v1/products?q=${encodeURIComponent('电暖袋')}`))).toEqual([]);
  });

  it('a product taken off sale leaves the storefront page of its categories, not the console list', async () => {
    const token = await adminToken();
    const t = await makeCategoryTree(token);
    const p = await makeProduct(token, t.l3, { title: '下架测试杯', ...one(2590, 4) });
    await api('PATCH', `/admin/v1/products/${p.id}`, { token, body: { status: 'off_sale' } });
    expect(titles(await api('GET', `/store/v1/products?categoryId=${t.l2}`))).toEqual([]);
    expect(titles(await api('GET', `/admin/v1/products?categoryId=${t.l1}&status=off_sale`, { token }))).toEqual([p.id]);
    await api('PATCH', `/admin/v1/products/${p.id}`, { token, body: { status: 'on_sale' } });
    expect(titles(await api('GET', `/store/v1/products?categoryId=${t.l2}`))).toEqual([p.id]);
  });

  it('a moved category takes its products along: listed under the new ancestors, gone from the old', async () => {
    const token = await adminToken();
    const a = await makeCategoryTree(token);
    const b = await makeCategoryTree(token);
    const p = await makeProduct(token, a.l3, { title: '搬家测试杯', ...one(1590, 4) });
    // B already has a 厨房用品: rename A's before moving it next to it
    await api('PATCH', `/admin/v1/categories/${a.l2}`, { token, body: { name: '厨房小物' } });
    expect((await api('PATCH', `/admin/v1/categories/${a.l2}`, { token, body: { parentId: b.l1 } })).status).toBe(200);
    expect(titles(await api('GET', `/store/v1/products?categoryId=${b.l1}`))).toEqual([p.id]);
    expect(titles(await api('GET', `/store/v1/products?categoryId=${a.l1}`))).toEqual([]);
    expect(titles(await api('GET', `/admin/v1/products?categoryId=${a.l2}`, { token }))).toEqual([p.id]);
  });

  it("a disabled sub-category hides its products from its parent's page, the rest stay", async () => {
    const token = await adminToken();
    const t = await makeCategoryTree(token);
    const deep = await makeProduct(token, t.l3, { title: '禁用测试杯', ...one(1590, 4) });
    const upper = await makeProduct(token, t.l2, { title: '禁用测试壶', ...one(2590, 4) });
    await api('PATCH', `/admin/v1/categories/${t.l3}`, { token, body: { enabled: false } });
    expect(titles(await api('GET', `/store/v1/products?categoryId=${t.l1}`))).toEqual([upper.id]);
    expect(titles(await api('GET', `/store/v1/products?categoryId=${t.l3}`))).toEqual([]);
    expect(titles(await api('GET', `/store/v1/products?q=${encodeURIComponent('禁用测试')}`))).toEqual([upper.id]);
    expect(titles(await api('GET', `/admin/v1/products?categoryId=${t.l1}`, { token })).sort()).toEqual([deep.id, upper.id].sort());
  });
});
