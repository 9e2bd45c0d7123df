import { api } from './helpers';

/**
 * Creates 家居生活<suffix> › 厨房用品 › 保温杯 (three levels) and returns their ids. Storage is shared
 * by the tests of one file, so top-level names get a random suffix unless one is given.
 */
export async function makeCategoryTree(token: string, suffix = crypto.randomUUID().slice(0, 6)) {
  const l1 = await api('POST', '/admin/v1/categories', { token, body: { name: `家居生活${suffix}` } });
  if (l1.status !== 201) throw new Error(JSON.stringify(l1.body));
  const l2 = await api('POST', '/admin/v1/categories', { token, body: { name: '厨房用品', parentId: l1.body.id } });
  const l3 = await api('POST', '/admin/v1/categories', { token, body: { name: '保温杯', parentId: l2.body.id } });
  return { l1: l1.body.id as string, l2: l2.body.id as string, l3: l3.body.id as string };
}

/** A valid on-sale product body: 2 colours × 2 capacities = 4 SKUs. */
export function productBody(categoryId: string, over: Record<string, unknown> = {}) {
  return {
    categoryId,
    title: '316不锈钢保温杯 大容量便携',
    subtitle: '24小时保温',
    material: '316不锈钢',
    origin: '浙江永康',
    attributes: { 品牌: '山川' },
    specDims: [
      { name: '颜色', values: ['白色', '黑色'] },
      { name: '容量', values: ['350ml', '500ml'] },
    ],
    skuDefaults: { price: 4990, originalPrice: 6990, cost: 2000, stock: 50, lowStockThreshold: 5 },
    status: 'on_sale',
    ...over,
  };
}

export async function makeProduct(token: string, categoryId: string, over: Record<string, unknown> = {}) {
  const r = await api('POST', '/admin/v1/products', { token, body: productBody(categoryId, over) });
  if (r.status !== 201) throw new Error(`create product failed: ${JSON.stringify(r.body)}`);
  return r.body;
}
