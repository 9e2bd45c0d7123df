import { describe, expect, it } from 'vitest';
import { api, adminToken, shopperToken, staffToken } from '../../../test/helpers';
import { makeCategoryTree, makeProduct } from '../../../test/catalog';

describe('categories', () => {
  it('builds a three-level tree the storefront sees nested and ordered', async () => {
    const token = await adminToken();
    const { l1, l2, l3 } = await makeCategoryTree(token);
    await api('POST', '/admin/v1/categories', { token, body: { name: '餐具', parentId: l2, sortOrder: -1 } }).then((r) =>
      expect(r.status).toBe(400),
    );
    const early = await api('POST', '/admin/v1/categories', { token, body: { name: '餐具', parentId: l2, sortOrder: 0 } });
    await api('PATCH', `/admin/v1/categories/${l3}`, { token, body: { sortOrder: 5 } });
    const tree = await api('GET', '/store/v1/categories');
    expect(tree.status).toBe(200);
    const root = tree.body.items.find((n: any) => n.id === l1);
    expect(root.level).toBe(1);
    const kitchen = root.children.find((n: any) => n.id === l2);
    expect(kitchen.level).toBe(2);
    expect(kitchen.children.map((n: any) => n.id)).toEqual([early.body.id, l3]);
    expect(kitchen.children[1].level).toBe(3);
  });

  it('moves a subtree, updating levels, and refuses cycles', async () => {
    const token = await adminToken();
    const a = await makeCategoryTree(token, 'A');
    const b = await makeCategoryTree(token, 'B');
    const cycle = await api('PATCH', `/admin/v1/categories/${a.l1}`, { token, body: { parentId: a.l3 } });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.code).toBe('catalog.category_cycle');
    const self = await api('PATCH', `/admin/v1/categories/${a.l2}`, { token, body: { parentId: a.l2 } });
    expect(self.body.error.code).toBe('catalog.category_cycle');
    // move A's 厨房用品 (with its child) under B's 厨房用品 would clash on name; rename first
    await api('PATCH', `/admin/v1/categories/${a.l2}`, { token, body: { name: '厨房小物' } });
    const moved = await api('PATCH', `/admin/v1/categories/${a.l2}`, { token, body: { parentId: b.l2 } });
    expect(moved.status).toBe(200);
    expect(moved.body.level).toBe(3);
    const all = await api('GET', '/admin/v1/categories', { token });
    const leaf = all.body.items.find((c: any) => c.id === a.l3);
    expect(leaf.level).toBe(4);
    expect(leaf.parentId).toBe(a.l2);
  });

  it('disabling a category hides it and its products from the storefront', async () => {
    const token = await adminToken();
    const { l1, l3 } = await makeCategoryTree(token, 'D');
    const p = await makeProduct(token, l3, { title: '隐藏测试保温杯' });
    expect((await api('GET', `/store/v1/products/${p.id}`)).status).toBe(200);
    await api('PATCH', `/admin/v1/categories/${l1}`, { token, body: { enabled: false } });
    const tree = await api('GET', '/store/v1/categories');
    expect(tree.body.items.find((n: any) => n.id === l1)).toBeUndefined();
    expect((await api('GET', `/store/v1/products/${p.id}`)).status).toBe(404);
    const list = await api('GET', `/store/v1/products?q=${encodeURIComponent('隐藏测试')}`);
    expect(list.body.items).toHaveLength(0);
  });

  it('refuses deleting a category that has products, allows an empty one', async () => {
    const token = await adminToken();
    const { l2, l3 } = await makeCategoryTree(token, 'X');
    await makeProduct(token, l3, { title: '删除测试杯子' });
    expect((await api('DELETE', `/admin/v1/categories/${l3}`, { token })).status).toBe(409);
    expect((await api('DELETE', `/admin/v1/categories/${l2}`, { token })).status).toBe(409);
    const empty = await api('POST', '/admin/v1/categories', { token, body: { name: '空的', parentId: l2 } });
    expect((await api('DELETE', `/admin/v1/categories/${empty.body.id}`, { token })).status).toBe(200);
  });

  it('only platform staff change categories', async () => {
    const shopper = await shopperToken();
    expect((await api('POST', '/admin/v1/categories', { token: shopper, body: { name: 'x' } })).status).toBe(403);
    const support = await staffToken('support');
    expect((await api('POST', '/admin/v1/categories', { token: support, body: { name: 'x' } })).status).toBe(403);
    const operator = await staffToken('operator');
    expect((await api('POST', '/admin/v1/categories', { token: operator, body: { name: '运营建的' } })).status).toBe(201);
  });
});
