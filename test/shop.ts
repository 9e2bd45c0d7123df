import { api, adminToken, shopperToken } from './helpers';
import { makeCategoryTree, makeProduct } from './catalog';

/** A signed-in shopper with a default address in 浙江省. */
export async function shopperWithAddress(code = `shopper-${crypto.randomUUID().slice(0, 8)}`) {
  const token = await shopperToken(code);
  const a = await api('POST', '/store/v1/addresses', {
    token,
    body: { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路100号5幢302室' },
  });
  if (a.status !== 201) throw new Error(`address failed: ${JSON.stringify(a.body)}`);
  const me = await api('GET', '/store/v1/me', { token });
  return { token, addressId: a.body.id as string, userId: me.body.id as string };
}

/** An on-sale single-SKU product with the given price and stock; returns ids and the admin token. */
export async function sellable(price = 5000, stock = 10, over: Record<string, unknown> = {}) {
  const admin = await adminToken();
  const { l3 } = await makeCategoryTree(admin);
  const p = await makeProduct(admin, l3, {
    title: `测试商品 ${crypto.randomUUID().slice(0, 6)}`,
    specDims: [],
    skuDefaults: undefined,
    skus: [{ specValues: [], price, stock, lowStockThreshold: 0, weightG: 500 }],
    ...over,
  });
  return { admin, productId: p.id as string, skuId: p.skus[0].id as string };
}

export const idem = () => ({ 'idempotency-key': `k-${crypto.randomUUID()}` });

/** Places a buy-now order for one SKU. */
export async function placeOrder(token: string, addressId: string, skuId: string, quantity = 1, key = `k-${crypto.randomUUID()}`) {
  return api('POST', '/store/v1/orders', { token, body: { addressId, items: [{ skuId, quantity }] }, headers: { 'idempotency-key': key } });
}

export async function stockOf(skuId: string, token: string): Promise<number> {
  const r = await api('GET', `/admin/v1/skus/${skuId}/stock-ledger?limit=1`, { token });
  return r.body.items[0]?.stockAfter ?? 0;
}
