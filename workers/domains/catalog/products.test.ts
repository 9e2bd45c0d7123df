import { describe, expect, it } from 'vitest';
import { api, adminToken, env, shopperToken, staffToken } from '../../../test/helpers';
import { makeCategoryTree, makeProduct, productBody } from '../../../test/catalog';

async function merchant(id: string) {
  await env.DB.prepare('INSERT OR IGNORE INTO merchants (id, name, status, commission_bps, created_at) VALUES (?, ?, ?, 500, 0)')
    .bind(id, id, 'active')
    .run();
  return staffToken('merchant', id);
}

describe('products and SKUs', () => {
  it('generates the SKU grid from spec dimensions (2 colours × 2 capacities = 4 SKUs)', async () => {
    const token = await adminToken();
    const { l3 } = await makeCategoryTree(token);
    const p = await makeProduct(token, l3);
    expect(p.id).toMatch(/^prd_[0-9a-z]{16}$/);
    expect(p.merchantId).toBe('mch_platform');
    expect(p.skus.map((s: any) => s.specKey)).toEqual(['白色/350ml', '白色/500ml', '黑色/350ml', '黑色/500ml']);
    expect(p.skus.every((s: any) => s.price === 4990 && s.originalPrice === 6990 && s.cost === 2000 && s.stock === 50)).toBe(true);
    expect(p.totalStock).toBe(200);
    expect(p.minPrice).toBe(4990);
    expect(p.categoryPath.map((c: any) => c.name)).toEqual([expect.stringMatching(/^家居生活/), '厨房用品', '保温杯']);
    const ledger = await api('GET', `/admin/v1/skus/${p.skus[0].id}/stock-ledger`, { token });
    expect(ledger.body.items).toMatchObject([{ delta: 50, stockAfter: 50, reason: 'initial' }]);
  });

  it('shows the storefront enabled SKUs with live stock, without cost', async () => {
    const token = await adminToken();
    const { l3 } = await makeCategoryTree(token);
    const p = await makeProduct(token, l3);
    const r = await api('GET', `/store/v1/products/${p.id}`);
    expect(r.status).toBe(200);
    expect(r.body.skus).toHaveLength(4);
    expect(r.body.skus[0]).not.toHaveProperty('cost');
    expect(r.body.material).toBe('316不锈钢');
    expect(r.body.origin).toBe('浙江永康');
  });

  it('validation errors name the field path (skus.1.price)', async () => {
    const token = await adminToken();
    const { l3 } = await makeCategoryTree(token);
    const r = await api('POST', '/admin/v1/products', {
      token,
      body: {
        ...productBody(l3),
        skuDefaults: undefined,
        specDims: [],
        skus: [
          { specValues: [], price: 100, stock: 1 },
          { specValues: [], price: 19.9, stock: 1 },
        ],
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation.failed');
    expect(r.body.error.details.issues[0].path).toBe('skus.1.price');
  });

  it('refuses SKUs that do not match the spec dimensions', async () => {
    const token = await adminToken();
    const { l3 } = await makeCategoryTree(token);
    const r = await api('POST', '/admin/v1/products', {
      token,
      body: { ...productBody(l3), skuDefaults: undefined, skus: [{ specValues: ['白色', '1L'], price: 100, stock: 1 }] },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.details.issues[0].path).toBe('skus.0.specValues.1');
  });

  it('needs 材质 and 产地 to go on sale; a draft may lack them', async () => {
    const token = await adminToken();
    const { l3 } = await makeCategoryTree(token);
    const bad = await api('POST', '/admin/v1/products', { token, body: productBody(l3, { material: '', origin: '' }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('catalog.not_publishable');
    expect(bad.body.error.details.issues.map((i: any) => i.path)).toEqual(['material', 'origin']);
    const draft = await makeProduct(token, l3, { material: '', origin: '', status: 'draft' });
    expect(draft.status).toBe('draft');
    expect((await api('GET', `/store/v1/products/${draft.id}`)).status).toBe(404);
  });

  it('one-click sync: a price edit shows in the storefront at once (cache purged)', async () => {
    const token = await adminToken();
    const { l3 } = await makeCategoryTree(token);
    const p = await makeProduct(token, l3);
    const before = await api('GET', `/store/v1/products/${p.id}`); // warms the cache
    expect(before.body.skus[0].price).toBe(4990);
    const skus = p.skus.map((s: any) => ({
      id: s.id,
      specValues: s.specValues,
      price: s.specKey === '白色/350ml' ? 3990 : s.price,
      originalPrice: s.originalPrice,
      cost: s.cost,
    }));
    const upd = await api('PATCH', `/admin/v1/products/${p.id}`, {
      token,
      body: { skus, title: '316不锈钢保温杯 新款', expectedVersion: p.version },
    });
    expect(upd.status).toBe(200);
    expect(upd.body.version).toBe(p.version + 1);
    const after = await api('GET', `/store/v1/products/${p.id}`);
    expect(after.body.title).toBe('316不锈钢保温杯 新款');
    expect(after.body.skus.find((s: any) => s.specKey === '白色/350ml').price).toBe(3990);
    expect(after.body.minPrice).toBe(3990);
    const listed = await api('GET', `/store/v1/products?categoryId=${l3}`);
    expect(listed.body.items[0].minPrice).toBe(3990);
  });

  it('a stale expectedVersion is a 409 and changes nothing', async () => {
    const token = await adminToken();
    const { l3 } = await makeCategoryTree(token);
    const p = await makeProduct(token, l3);
    await api('PATCH', `/admin/v1/products/${p.id}`, { token, body: { subtitle: 'first' } });
    const stale = await api('PATCH', `/admin/v1/products/${p.id}`, { token, body: { subtitle: 'second', expectedVersion: p.version } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('catalog.version_conflict');
    expect((await api('GET', `/admin/v1/products/${p.id}`, { token })).body.subtitle).toBe('first');
  });

  it('SKUs left out of the grid are disabled, new combinations added with initial stock', async () => {
    const token = await adminToken();
    const { l3 } = await makeCategoryTree(token);
    const p = await makeProduct(token, l3);
    const r = await api('PATCH', `/admin/v1/products/${p.id}`, {
      token,
      body: {
        specDims: [
          { name: '颜色', values: ['白色', '黑色'] },
          { name: '容量', values: ['500ml', '750ml'] },
        ],
        skus: [
          { specValues: ['白色', '500ml'], price: 5990 },
          { specValues: ['白色', '750ml'], price: 6990, initialStock: 7 },
        ],
      },
    });
    expect(r.status).toBe(200);
    const byKey = Object.fromEntries(r.body.skus.map((s: any) => [s.specKey, s]));
    expect(byKey['白色/500ml'].id).toBe(p.skus.find((s: any) => s.specKey === '白色/500ml').id);
    expect(byKey['白色/500ml'].stock).toBe(50);
    expect(byKey['白色/750ml'].stock).toBe(7);
    expect(byKey['黑色/350ml'].enabled).toBe(false);
    const store = await api('GET', `/store/v1/products/${p.id}`);
    expect(store.body.skus.map((s: any) => s.specKey).sort()).toEqual(['白色/500ml', '白色/750ml']);
    expect(store.body.totalStock).toBe(57);
  });

  it('strips scripts from the detail rich text', async () => {
    const token = await adminToken();
    const { l3 } = await makeCategoryTree(token);
    const p = await makeProduct(token, l3, {
      detailHtml: '<p onclick="x()">好杯子</p><script>alert(1)</script><img src="javascript:alert(1)">',
    });
    expect(p.detailHtml).toContain('好杯子');
    expect(p.detailHtml).not.toMatch(/script|onclick|javascript/);
  });

  it("a merchant cannot edit another merchant's product; its own edits go to review", async () => {
    const token = await adminToken();
    const { l3 } = await makeCategoryTree(token);
    const m1 = await merchant('mch_tea00001');
    const m2 = await merchant('mch_tea00002');
    const own = await api('POST', '/admin/v1/products', { token: m1, body: productBody(l3, { title: '商户一的杯子' }) });
    expect(own.status).toBe(201);
    expect(own.body.merchantId).toBe('mch_tea00001');
    expect(own.body.status).toBe('pending_review');
    const other = await api('PATCH', `/admin/v1/products/${own.body.id}`, { token: m2, body: { title: '改别人的' } });
    expect(other.status).toBe(403);
    expect((await api('GET', `/admin/v1/products/${own.body.id}`, { token: m2 })).status).toBe(403);
    const platform = await makeProduct(token, l3, { title: '平台自营杯' });
    expect((await api('PATCH', `/admin/v1/products/${platform.id}`, { token: m1, body: { title: '改平台的' } })).status).toBe(403);
    const spoof = await api('POST', '/admin/v1/products', { token: m1, body: productBody(l3, { merchantId: 'mch_tea00002' }) });
    expect(spoof.status).toBe(403);
    const list = await api('GET', '/admin/v1/products', { token: m2 });
    expect(list.body.items.every((p: any) => p.merchantId === 'mch_tea00002')).toBe(true);
    // review: the merchant cannot approve itself; an operator can
    expect((await api('POST', `/admin/v1/products/${own.body.id}/review`, { token: m1, body: { decision: 'approve' } })).status).toBe(403);
    const approved = await api('POST', `/admin/v1/products/${own.body.id}/review`, { token, body: { decision: 'approve' } });
    expect(approved.body.status).toBe('on_sale');
    expect((await api('GET', `/store/v1/products/${own.body.id}`)).status).toBe(200);
  });

  it('a shopper token cannot call admin catalog routes; support cannot write', async () => {
    const token = await adminToken();
    const { l3 } = await makeCategoryTree(token);
    const shopper = await shopperToken();
    expect((await api('POST', '/admin/v1/products', { token: shopper, body: productBody(l3) })).status).toBe(403);
    expect((await api('GET', '/admin/v1/products', { token: shopper })).status).toBe(403);
    const support = await staffToken('support');
    expect((await api('GET', '/admin/v1/products', { token: support })).status).toBe(200);
    expect((await api('POST', '/admin/v1/products', { token: support, body: productBody(l3) })).status).toBe(403);
  });

  it('soft-deleted products disappear from storefront and admin lists', async () => {
    const token = await adminToken();
    const { l3 } = await makeCategoryTree(token);
    const p = await makeProduct(token, l3);
    expect((await api('DELETE', `/admin/v1/products/${p.id}`, { token })).status).toBe(200);
    expect((await api('GET', `/store/v1/products/${p.id}`)).status).toBe(404);
    expect((await api('GET', `/admin/v1/products/${p.id}`, { token })).status).toBe(404);
  });
});
