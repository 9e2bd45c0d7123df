// The catalogue's hot reads never read a table whole: the storefront's product list (every sort,
// a category with its sub-categories, price and stock filters, keyword search of 1–4 characters,
// page 2) and product detail, and the console's product list with each filter it offers. Each
// request goes through the real app; every statement it runs is explained (test/query-plans.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, api, staffToken } from '../../../test/helpers';
import { makeCategoryTree, makeProduct } from '../../../test/catalog';
import { expectRequestPlans } from '../../../test/query-plans';

const one = (price: number, stock: number) => ({ specDims: [], skuDefaults: undefined, skus: [{ specValues: [], price, stock }] });
let admin: string;
let merchant: string;
let cats: { l1: string; l2: string; l3: string };
const ids: Record<string, string> = {};

beforeAll(async () => {
  admin = await adminToken();
  // Admin-created products belong to the platform merchant; its staff see exactly those.
  merchant = await staffToken('merchant', 'mch_platform');
  cats = await makeCategoryTree(admin);
  ids.cup = (await makeProduct(admin, cats.l3, { title: '不锈钢保温杯 500ml', ...one(4990, 10) })).id;
  ids.glass = (await makeProduct(admin, cats.l3, { title: '玻璃水杯 双层隔热', ...one(1990, 0) })).id;
  ids.kettle = (await makeProduct(admin, cats.l2, { title: '电热水壶 304不锈钢', ...one(12900, 3) })).id;
  ids.draft = (await makeProduct(admin, cats.l3, { title: '草稿保温杯', status: 'draft', ...one(100, 1) })).id;
  // A disabled branch elsewhere: the storefront's lists must hide it without reading the tree.
  const hidden = await makeCategoryTree(admin);
  await makeProduct(admin, hidden.l3, { title: '隐藏的水杯', ...one(990, 5) });
  const off = await api('PATCH', `/admin/v1/categories/${hidden.l2}`, { token: admin, body: { enabled: false } });
  expect(off.status).toBe(200);
});

const SORTS = ['newest', 'sales', 'price_asc', 'price_desc'] as const;
const ids_ = (r: { body: { items: { id: string }[] } }) => r.body.items.map((p) => p.id);
/** The second page of a list: the first page's cursor with page size 1. */
async function secondPage(name: string, path: string, opts: Parameters<typeof expectRequestPlans>[3] = {}) {
  const sep = path.includes('?') ? '&' : '?';
  const first = await expectRequestPlans(`${name} (page 1)`, 'GET', `${path}${sep}limit=1`, opts);
  expect(first.body.nextCursor, `${name}: a second page exists`).toBeTruthy();
  return expectRequestPlans(`${name} (page 2)`, 'GET', `${path}${sep}limit=1&cursor=${first.body.nextCursor}`, { ...opts, seek: true });
}

// Plain lists walk the products index of their sort (status = on_sale) and stop after a page.
const byStatusIndex = { table: 'products', first: /^SEARCH products USING INDEX products_status_(created|sales|price)_idx \(status=\?/ };
// A category page walks the category listing (the category and its sub-categories in one index).
const byListing = {
  table: 'category_products',
  first: /^SEARCH category_products USING (?:COVERING )?INDEX category_products_\w+ \(category_id=\?/,
};
// A keyword search starts from the search index (MATCH), never from the products.
const bySearch = { table: 'products_fts', first: /^SCAN products_fts VIRTUAL TABLE INDEX \d+:M/ };
/** Sorting a search by anything but newness must look at every match of the words. */
const searchSort = { products: 'every product matching the keywords (not the catalogue): a price or sales order needs them all' };

describe('storefront listProducts', () => {
  it.each(SORTS)('without filters, sort %s', async (sort) => {
    await expectRequestPlans(`listProducts sort=${sort}`, 'GET', `/store/v1/products?sort=${sort}`, { drives: byStatusIndex });
  });

  it('page 2 seeks past the cursor', async () => {
    await secondPage('listProducts newest', '/store/v1/products?sort=newest', { drives: byStatusIndex });
    await secondPage('listProducts price_asc', '/store/v1/products?sort=price_asc', { drives: byStatusIndex });
  });

  it.each(SORTS)('a category with its sub-categories, sort %s', async (sort) => {
    const r = await expectRequestPlans(
      `listProducts category sort=${sort}`,
      'GET',
      `/store/v1/products?categoryId=${cats.l1}&sort=${sort}`,
      {
        drives: byListing,
      },
    );
    expect(ids_(r).sort()).toEqual([ids.cup, ids.glass, ids.kettle].sort());
  });

  it('a category with price and stock filters, and its page 2', async () => {
    const r = await expectRequestPlans(
      'listProducts category + price range + in stock',
      'GET',
      `/store/v1/products?categoryId=${cats.l1}&minPrice=2000&maxPrice=20000&inStock=true&sort=price_asc`,
      { drives: byListing },
    );
    expect(ids_(r)).toEqual([ids.cup, ids.kettle]);
    await secondPage('listProducts category newest', `/store/v1/products?categoryId=${cats.l2}&sort=newest`, { drives: byListing });
  });

  it('price and stock filters without a category', async () => {
    await expectRequestPlans('listProducts price range', 'GET', '/store/v1/products?minPrice=1000&maxPrice=5000&sort=price_asc', {
      drives: byStatusIndex,
    });
    await expectRequestPlans('listProducts in stock', 'GET', '/store/v1/products?inStock=true', { drives: byStatusIndex });
  });

  it.each([
    ['杯', 1],
    ['水杯', 2],
    ['保温杯', 3],
    ['双层隔热', 4],
  ])('keyword %s (%i characters), newest first: the search index in its own order, no sort', async (word) => {
    const r = await expectRequestPlans(`listProducts q=${word}`, 'GET', `/store/v1/products?q=${encodeURIComponent(word)}`, {
      drives: bySearch,
    });
    expect(r.body.items.length).toBeGreaterThan(0);
  });

  it('two keywords, a keyword with a category and filters, a keyword sorted by price, page 2', async () => {
    const two = await expectRequestPlans('listProducts q=不锈钢 水壶', 'GET', `/store/v1/products?q=${encodeURIComponent('不锈钢 水壶')}`, {
      drives: bySearch,
    });
    expect(ids_(two)).toEqual([ids.kettle]);
    const inCat = await expectRequestPlans(
      'listProducts q + category + price',
      'GET',
      `/store/v1/products?q=${encodeURIComponent('杯')}&categoryId=${cats.l2}&minPrice=1000`,
      { drives: bySearch },
    );
    expect(ids_(inCat).sort()).toEqual([ids.cup, ids.glass].sort());
    for (const sort of ['price_asc', 'sales'] as const)
      await expectRequestPlans(`listProducts q sort=${sort}`, 'GET', `/store/v1/products?q=${encodeURIComponent('水杯')}&sort=${sort}`, {
        drives: bySearch,
        sorts: searchSort,
      });
    await secondPage('listProducts q newest', `/store/v1/products?q=${encodeURIComponent('杯')}`, { drives: bySearch });
  });
});

describe('storefront getProduct', () => {
  it('reads the product, its SKUs, its category path and visibility by key', async () => {
    await expectRequestPlans('getProduct', 'GET', `/store/v1/products/${ids.cup}`, {
      drives: { table: 'products', first: /^SEARCH (products|p) USING INDEX sqlite_autoindex_products_1 \(id=\?\)/ },
      sorts: { skus: "one product's SKUs (at most 300)" },
    });
  });
});

describe('console listAdminProducts', () => {
  const newestWalk = {
    'products/products_created_idx': 'newest first over every product: the first page of non-deleted products ends the walk',
  };

  it('without filters, by each status, by keyword, by category (with and without status), page 2', async () => {
    await expectRequestPlans('listAdminProducts', 'GET', '/admin/v1/products', {
      token: admin,
      walks: newestWalk,
      drives: { table: 'products', first: /^SCAN products USING INDEX products_created_idx/ },
    });
    for (const status of ['draft', 'pending_review', 'on_sale', 'off_sale'])
      await expectRequestPlans(`listAdminProducts status=${status}`, 'GET', `/admin/v1/products?status=${status}`, {
        token: admin,
        drives: { table: 'products', first: /^SEARCH products USING INDEX products_status_created_idx \(status=\?\)/ },
      });
    const q = await expectRequestPlans('listAdminProducts q', 'GET', `/admin/v1/products?q=${encodeURIComponent('保温杯')}`, {
      token: admin,
      drives: bySearch,
    });
    expect(ids_(q).sort()).toEqual([ids.cup, ids.draft].sort());
    await expectRequestPlans('listAdminProducts category', 'GET', `/admin/v1/products?categoryId=${cats.l1}`, {
      token: admin,
      drives: {
        table: 'category_products',
        first: /^SEARCH category_products USING (?:COVERING )?INDEX category_products_created_idx \(category_id=\?\)/,
      },
    });
    await expectRequestPlans('listAdminProducts category + status', 'GET', `/admin/v1/products?categoryId=${cats.l1}&status=draft`, {
      token: admin,
      drives: byListing,
    });
    await expectRequestPlans(
      'listAdminProducts q + status + category',
      'GET',
      `/admin/v1/products?q=${encodeURIComponent('杯')}&status=on_sale&categoryId=${cats.l1}`,
      {
        token: admin,
        drives: bySearch,
      },
    );
    await secondPage('listAdminProducts', '/admin/v1/products', { token: admin, walks: newestWalk });
  });

  it('a merchant sees its own: alone, by status, by keyword, by category', async () => {
    const own = { table: 'products', first: /^SEARCH products USING INDEX products_merchant_(status_)?created_idx \(merchant_id=\?/ };
    await expectRequestPlans('listAdminProducts (merchant)', 'GET', '/admin/v1/products', { token: merchant, drives: own });
    await expectRequestPlans('listAdminProducts (merchant) status', 'GET', '/admin/v1/products?status=on_sale', {
      token: merchant,
      drives: own,
    });
    await expectRequestPlans('listAdminProducts (merchant) q', 'GET', `/admin/v1/products?q=${encodeURIComponent('水杯')}`, {
      token: merchant,
      drives: bySearch,
    });
    await expectRequestPlans('listAdminProducts (merchant) category', 'GET', `/admin/v1/products?categoryId=${cats.l1}`, {
      token: merchant,
      drives: byListing,
    });
    // Platform staff filtering by merchant read the same indexes.
    await expectRequestPlans('listAdminProducts merchantId', 'GET', '/admin/v1/products?merchantId=mch_platform&status=draft', {
      token: admin,
      drives: own,
    });
  });
});
