import { describe, expect, it } from 'vitest';
import { api, adminToken, env, shopperToken } from '../../../test/helpers';
import { makeCategoryTree, makeProduct } from '../../../test/catalog';
import { getDb } from '../../shared/db';
import { createLogger } from '../../shared/log';
import type { Ctx } from '../../shared/context';
import { getSelectedLines, removeCartLines } from './cart.service';

/** A product with one SKU per price/stock given (single spec dimension), on sale unless told. */
async function product(skus: { price?: number; stock: number }[] = [{ stock: 50 }], over: Record<string, unknown> = {}) {
  const admin = await adminToken();
  const { l3 } = await makeCategoryTree(admin);
  const p = await makeProduct(admin, l3, {
    title: `购物车测试 ${crypto.randomUUID().slice(0, 6)}`,
    specDims: skus.length > 1 ? [{ name: '款式', values: skus.map((_, i) => `款${i + 1}`) }] : [],
    skuDefaults: undefined,
    skus: skus.map((s, i) => ({
      specValues: skus.length > 1 ? [`款${i + 1}`] : [],
      price: s.price ?? 1000,
      originalPrice: 2000,
      stock: s.stock,
    })),
    ...over,
  });
  return { admin, product: p, skuIds: p.skus.map((s: any) => s.id as string) };
}

const add = (skuId: string, quantity: number, auth: { token?: string; guest?: string }) =>
  api('POST', '/store/v1/cart/items', {
    token: auth.token,
    headers: auth.guest ? { 'x-guest-cart': auth.guest } : {},
    body: { skuId, quantity },
  });

const cart = (auth: { token?: string; guest?: string }) =>
  api('GET', '/store/v1/cart', { token: auth.token, headers: auth.guest ? { 'x-guest-cart': auth.guest } : {} });

const lines = (body: any): any[] => body.groups.flatMap((g: any) => g.lines);
const lineOf = (body: any, skuId: string) => lines(body).find((l) => l.skuId === skuId);

async function newGuest(): Promise<string> {
  const r = await api('POST', '/store/v1/cart/guest');
  expect(r.status).toBe(201);
  return r.body.guestCartId;
}

function testCtx(): Ctx {
  return { db: getDb(env.DB), env, now: Date.now(), requestId: 't', log: createLogger(), actor: { kind: 'system', name: 'test' } };
}

describe('cart lines', () => {
  it('adds, increases on re-add, updates, removes', async () => {
    const token = await shopperToken('cart-basic');
    const { skuIds } = await product([{ price: 4990, stock: 50 }]);
    const sku = skuIds[0]!;

    const first = await add(sku, 2, { token });
    expect(first.status).toBe(200);
    expect(first.body.itemId).toMatch(/^cit_[0-9a-z]{16}$/);
    expect(first.body.groups).toHaveLength(1);
    expect(first.body.groups[0].merchantId).toBe('mch_platform');
    expect(lineOf(first.body, sku)).toMatchObject({
      quantity: 2,
      unitPrice: 4990,
      addedPrice: 4990,
      lineTotal: 9980,
      selected: true,
      purchasable: true,
      stock: 50,
    });
    expect(lineOf(first.body, sku).title).toMatch(/^购物车测试/);
    expect(first.body).toMatchObject({ lineCount: 1, selectedCount: 2, selectedLineCount: 1, selectedGoodsTotal: 9980 });

    const again = await add(sku, 3, { token });
    expect(again.body.itemId).toBe(first.body.itemId);
    expect(again.body.lineCount).toBe(1);
    expect(lineOf(again.body, sku).quantity).toBe(5);
    expect(again.body.selectedGoodsTotal).toBe(5 * 4990);

    const itemId = first.body.itemId;
    const qty = await api('PATCH', `/store/v1/cart/items/${itemId}`, { token, body: { quantity: 1 } });
    expect(qty.status).toBe(200);
    expect(lineOf(qty.body, sku).quantity).toBe(1);
    const unsel = await api('PATCH', `/store/v1/cart/items/${itemId}`, { token, body: { selected: false } });
    expect(lineOf(unsel.body, sku).selected).toBe(false);
    expect(unsel.body).toMatchObject({ selectedCount: 0, selectedGoodsTotal: 0 });

    const del = await api('DELETE', `/store/v1/cart/items/${itemId}`, { token });
    expect(del.status).toBe(200);
    expect(del.body.lineCount).toBe(0);
    expect((await api('DELETE', `/store/v1/cart/items/${itemId}`, { token })).status).toBe(404);
    expect((await cart({ token })).body.groups).toEqual([]);
  });

  it('refuses unknown and unsellable SKUs, more than stock, more than 999 per line', async () => {
    const token = await shopperToken('cart-refusals');
    const { skuIds } = await product([{ stock: 4 }, { stock: 5000 }]);
    const [few, many] = skuIds as [string, string];

    const unknown = await add('sku_0000000000000000', 1, { token });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('cart.sku_not_found');

    const tooMany = await add(few, 5, { token });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error.code).toBe('cart.insufficient_stock');
    expect(tooMany.body.error.details).toMatchObject({ available: 4, inCart: 0 });
    expect(tooMany.body.error.message).toContain('4');
    expect((await add(few, 3, { token })).status).toBe(200);
    const over = await add(few, 2, { token }); // 3 in cart + 2 > 4
    expect(over.status).toBe(409);
    expect(over.body.error.details).toMatchObject({ available: 4, inCart: 3 });
    expect(lineOf((await cart({ token })).body, few).quantity).toBe(3);

    expect((await add(many, 999, { token })).status).toBe(200);
    const cap = await add(many, 1, { token });
    expect(cap.status).toBe(409);
    expect(cap.body.error.code).toBe('cart.quantity_limit');
    expect(lineOf((await cart({ token })).body, many).quantity).toBe(999);

    const { skuIds: draftSkus } = await product([{ stock: 10 }], { status: 'draft' });
    const draft = await add(draftSkus[0]!, 1, { token });
    expect(draft.status).toBe(409);
    expect(draft.body.error.code).toBe('cart.sku_unavailable');
    expect((await cart({ token })).body.lineCount).toBe(2);
  });

  it('validation errors are 400 with field paths', async () => {
    const token = await shopperToken('cart-validation');
    const { skuIds } = await product();
    const big = await add(skuIds[0]!, 1000, { token });
    expect(big.status).toBe(400);
    expect(big.body.error.code).toBe('validation.failed');
    expect(big.body.error.details.issues[0].path).toBe('quantity');
    expect((await add(skuIds[0]!, 0, { token })).body.error.details.issues[0].path).toBe('quantity');
    expect((await add('not-a-sku', 1, { token })).body.error.details.issues[0].path).toBe('skuId');
    const added = await add(skuIds[0]!, 1, { token });
    const empty = await api('PATCH', `/store/v1/cart/items/${added.body.itemId}`, { token, body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.issues[0].path).toBe('quantity');
    const badId = await api('PATCH', '/store/v1/cart/items/xyz', { token, body: { quantity: 1 } });
    expect(badId.status).toBe(400);
    expect(badId.body.error.details.issues[0].path).toBe('itemId');
    const badSelect = await api('POST', '/store/v1/cart/select', { token, body: { itemIds: ['nope'], selected: 'yes' } });
    expect(badSelect.status).toBe(400);
    expect(badSelect.body.error.details.issues.map((i: any) => i.path).sort()).toEqual(['itemIds.0', 'selected']);
  });

  it('caps a cart at 100 different SKUs, also under concurrent adds', async () => {
    const token = await shopperToken('cart-100');
    const me = (await api('GET', '/store/v1/me', { token })).body.id as string;
    // 11 × 10 spec grid (a dimension holds at most 30 values), 102 of its SKUs
    const combos = Array.from({ length: 102 }, (_, i) => [`行${Math.floor(i / 10)}`, `列${i % 10}`]);
    const { product: p, skuIds } = await product([], {
      specDims: [
        { name: '行', values: Array.from({ length: 11 }, (_, i) => `行${i}`) },
        { name: '列', values: Array.from({ length: 10 }, (_, i) => `列${i}`) },
      ],
      skus: combos.map((specValues) => ({ specValues, price: 100, stock: 5 })),
    });
    expect(skuIds).toHaveLength(102);
    // 97 lines written directly (setup only), then 5 different SKUs added at once: 3 fit
    const now = Date.now();
    await env.DB.batch(
      skuIds
        .slice(0, 97)
        .map((s: string, i: number) =>
          env.DB.prepare(
            'INSERT INTO cart_items (id, owner_id, sku_id, product_id, quantity, selected, added_price, created_at, updated_at) VALUES (?, ?, ?, ?, 1, 1, 100, ?, ?)',
          ).bind(`cit_seed${String(i).padStart(8, '0')}`, me, s, p.id, now, now),
        ),
    );
    const rs = await Promise.all(skuIds.slice(97, 102).map((s: string) => add(s, 1, { token })));
    expect(rs.map((r) => r.status).sort()).toEqual([200, 200, 200, 409, 409]);
    expect(rs.find((r) => r.status === 409)!.body.error.code).toBe('cart.too_many_lines');
    expect((await cart({ token })).body.lineCount).toBe(100);
    // re-adding a SKU already in the cart still works at the cap
    expect((await add(skuIds[0]!, 1, { token })).status).toBe(200);
    expect(lineOf((await cart({ token })).body, skuIds[0]!).quantity).toBe(2);
  });

  it('selects some or all lines', async () => {
    const token = await shopperToken('cart-select');
    const { skuIds } = await product([
      { price: 100, stock: 10 },
      { price: 300, stock: 10 },
    ]);
    const a = (await add(skuIds[0]!, 1, { token })).body.itemId;
    await add(skuIds[1]!, 2, { token });
    expect((await cart({ token })).body.selectedGoodsTotal).toBe(700);

    const none = await api('POST', '/store/v1/cart/select', { token, body: { selected: false } });
    expect(none.status).toBe(200);
    expect(lines(none.body).every((l) => !l.selected)).toBe(true);
    expect(none.body).toMatchObject({ selectedCount: 0, selectedGoodsTotal: 0 });

    const one = await api('POST', '/store/v1/cart/select', { token, body: { itemIds: [a], selected: true } });
    expect(lineOf(one.body, skuIds[0]!).selected).toBe(true);
    expect(lineOf(one.body, skuIds[1]!).selected).toBe(false);
    expect(one.body).toMatchObject({ selectedCount: 1, selectedLineCount: 1, selectedGoodsTotal: 100 });

    const all = await api('POST', '/store/v1/cart/select', { token, body: { selected: true } });
    expect(all.body).toMatchObject({ selectedCount: 3, selectedGoodsTotal: 700 });
  });
});

describe('live state of cart lines', () => {
  it('a product taken off sale shows offSale and leaves the totals', async () => {
    const token = await shopperToken('cart-offsale');
    const a = await product([{ price: 1000, stock: 10 }]);
    const b = await product([{ price: 250, stock: 10 }]);
    await add(a.skuIds[0]!, 2, { token });
    await add(b.skuIds[0]!, 1, { token });
    expect((await cart({ token })).body.selectedGoodsTotal).toBe(2250);

    const off = await api('PATCH', `/admin/v1/products/${a.product.id}`, { token: a.admin, body: { status: 'off_sale' } });
    expect(off.status).toBe(200);
    const r = await cart({ token });
    expect(lineOf(r.body, a.skuIds[0]!)).toMatchObject({ offSale: true, purchasable: false, selected: true });
    expect(lineOf(r.body, b.skuIds[0]!)).toMatchObject({ offSale: false, purchasable: true });
    expect(r.body).toMatchObject({ selectedCount: 1, selectedLineCount: 1, selectedGoodsTotal: 250 });
    // and it cannot be added again
    expect((await add(a.skuIds[0]!, 1, { token })).body.error.code).toBe('cart.sku_unavailable');
  });

  it('a price edit shows priceChanged with the old price; totals use the new price', async () => {
    const token = await shopperToken('cart-price');
    const { admin, product: p, skuIds } = await product([{ price: 4990, stock: 10 }]);
    await add(skuIds[0]!, 2, { token });
    expect(lineOf((await cart({ token })).body, skuIds[0]!).priceChanged).toBe(false);
    const skus = p.skus.map((s: any) => ({
      id: s.id,
      specValues: s.specValues,
      price: 3990,
      originalPrice: s.originalPrice,
      cost: s.cost,
    }));
    expect((await api('PATCH', `/admin/v1/products/${p.id}`, { token: admin, body: { skus } })).status).toBe(200);
    const r = await cart({ token });
    expect(lineOf(r.body, skuIds[0]!)).toMatchObject({ priceChanged: true, addedPrice: 4990, unitPrice: 3990, lineTotal: 7980 });
    expect(r.body.selectedGoodsTotal).toBe(7980);
  });

  it('stock below the quantity shows insufficientStock; at 0 outOfStock; lowering the quantity is allowed', async () => {
    const token = await shopperToken('cart-stock');
    const { admin, skuIds } = await product([{ price: 100, stock: 10 }]);
    const sku = skuIds[0]!;
    const itemId = (await add(sku, 5, { token })).body.itemId;
    const setStock = (n: number) =>
      api('POST', `/admin/v1/skus/${sku}/stock-adjustments`, { token: admin, body: { setTo: n, reason: 'stocktake' } });

    expect((await setStock(3)).status).toBe(200);
    let r = await cart({ token });
    expect(lineOf(r.body, sku)).toMatchObject({ stock: 3, insufficientStock: true, outOfStock: false, purchasable: false });
    expect(r.body.selectedGoodsTotal).toBe(0);

    const up = await api('PATCH', `/store/v1/cart/items/${itemId}`, { token, body: { quantity: 6 } });
    expect(up.status).toBe(409);
    expect(up.body.error).toMatchObject({ code: 'cart.insufficient_stock', details: { available: 3 } });
    const down = await api('PATCH', `/store/v1/cart/items/${itemId}`, { token, body: { quantity: 4 } });
    expect(down.status).toBe(200); // still above stock, but a step in the right direction
    const fixed = await api('PATCH', `/store/v1/cart/items/${itemId}`, { token, body: { quantity: 3 } });
    expect(lineOf(fixed.body, sku)).toMatchObject({ insufficientStock: false, purchasable: true });
    expect(fixed.body.selectedGoodsTotal).toBe(300);

    expect((await setStock(0)).status).toBe(200);
    r = await cart({ token });
    expect(lineOf(r.body, sku)).toMatchObject({ outOfStock: true, insufficientStock: false, purchasable: false });
    expect(r.body.selectedGoodsTotal).toBe(0);
  });
});

describe('owners', () => {
  it('another shopper cannot see, update, select or delete my line (404, untouched)', async () => {
    const mine = await shopperToken('cart-owner-a');
    const theirs = await shopperToken('cart-owner-b');
    const { skuIds } = await product([{ stock: 10 }]);
    const itemId = (await add(skuIds[0]!, 2, { token: mine })).body.itemId;

    expect(lines((await cart({ token: theirs })).body).map((l) => l.itemId)).not.toContain(itemId);
    const upd = await api('PATCH', `/store/v1/cart/items/${itemId}`, { token: theirs, body: { quantity: 1, selected: false } });
    expect(upd.status).toBe(404);
    expect(upd.body.error.code).toBe('cart.item_not_found');
    expect((await api('DELETE', `/store/v1/cart/items/${itemId}`, { token: theirs })).status).toBe(404);
    expect((await api('POST', '/store/v1/cart/select', { token: theirs, body: { itemIds: [itemId], selected: false } })).status).toBe(404);
    const guest = await newGuest();
    expect((await api('DELETE', `/store/v1/cart/items/${itemId}`, { headers: { 'x-guest-cart': guest } })).status).toBe(404);

    expect(lineOf((await cart({ token: mine })).body, skuIds[0]!)).toMatchObject({ itemId, quantity: 2, selected: true });
  });

  it('a select naming one foreign id changes none of my lines either', async () => {
    const mine = await shopperToken('cart-owner-c');
    const theirs = await shopperToken('cart-owner-d');
    const { skuIds } = await product([{ stock: 10 }, { stock: 10 }]);
    const a = (await add(skuIds[0]!, 1, { token: mine })).body.itemId;
    const foreign = (await add(skuIds[1]!, 1, { token: theirs })).body.itemId;
    const r = await api('POST', '/store/v1/cart/select', { token: mine, body: { itemIds: [a, foreign], selected: false } });
    expect(r.status).toBe(404);
    expect(lineOf((await cart({ token: mine })).body, skuIds[0]!).selected).toBe(true);
    expect(lineOf((await cart({ token: theirs })).body, skuIds[1]!).selected).toBe(true);
  });

  it('guest carts: issued ids work without a token; a malformed header is 400; neither is 401', async () => {
    const guest = await newGuest();
    expect(guest).toMatch(/^gst_[0-9a-z]{16}$/);
    const { skuIds } = await product([{ stock: 10 }]);
    const r = await add(skuIds[0]!, 2, { guest });
    expect(r.status).toBe(200);
    expect((await cart({ guest })).body.lineCount).toBe(1);
    expect((await cart({ guest: await newGuest() })).body.lineCount).toBe(0);

    for (const bad of ['gst_short', 'usr_0123456789abcdef', 'gst_0123456789ABCDEF', 'gst_0123456789abcdei']) {
      const m = await cart({ guest: bad });
      expect(m.status).toBe(400);
      expect(m.body.error.code).toBe('validation.failed');
      expect(m.body.error.details.issues[0].path).toBe('x-guest-cart');
    }
    expect((await add(skuIds[0]!, 1, { guest: 'gst_../../etc' })).status).toBe(400);
    const none = await cart({});
    expect(none.status).toBe(401);

    // with a token the guest header is ignored: the shopper's own cart is served
    const token = await shopperToken('cart-guest-ignored');
    expect((await cart({ token, guest })).body.lineCount).toBe(0);
  });
});

describe('merging a guest cart at login', () => {
  it('moves lines, adds quantities capped at stock, empties the guest cart, and is idempotent', async () => {
    const token = await shopperToken('cart-merge');
    const { skuIds } = await product([{ stock: 5 }, { stock: 10 }, { stock: 10 }]);
    const [s1, s2, s3] = skuIds as [string, string, string];
    await add(s1, 4, { token });
    await add(s3, 1, { token });
    const guest = await newGuest();
    await add(s1, 3, { guest }); // 4 + 3 > stock 5 → 5
    await add(s2, 2, { guest });
    await add(s3, 6, { guest }); // 1 + 6 = 7

    const merge = (g = guest) => api('POST', '/store/v1/cart/merge', { token, headers: { 'x-guest-cart': g } });
    const m = await merge();
    expect(m.status).toBe(200);
    expect(m.body.merge).toEqual({ linesMoved: 1, linesCombined: 2, linesDropped: 0 });
    const qty = (body: any) => Object.fromEntries(lines(body).map((l) => [l.skuId, l.quantity]));
    expect(qty(m.body)).toEqual({ [s1]: 5, [s2]: 2, [s3]: 7 });
    expect((await cart({ guest })).body.lineCount).toBe(0);

    const again = await merge();
    expect(again.status).toBe(200);
    expect(again.body.merge).toEqual({ linesMoved: 0, linesCombined: 0, linesDropped: 0 });
    expect(qty(again.body)).toEqual({ [s1]: 5, [s2]: 2, [s3]: 7 });
  });

  it('two merges at the same moment count each guest line once', async () => {
    const token = await shopperToken('cart-merge-race');
    const { skuIds } = await product([{ stock: 100 }]);
    const guest = await newGuest();
    await add(skuIds[0]!, 3, { guest });
    const rs = await Promise.all([1, 2, 3].map(() => api('POST', '/store/v1/cart/merge', { token, headers: { 'x-guest-cart': guest } })));
    expect(rs.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(lineOf((await cart({ token })).body, skuIds[0]!).quantity).toBe(3);
  });

  it('needs a signed-in shopper and a well-formed guest header', async () => {
    const guest = await newGuest();
    expect((await api('POST', '/store/v1/cart/merge', { headers: { 'x-guest-cart': guest } })).status).toBe(401);
    const token = await shopperToken('cart-merge-auth');
    const missing = await api('POST', '/store/v1/cart/merge', { token });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.issues[0].path).toBe('x-guest-cart');
  });
});

describe('checkout helpers', () => {
  it("getSelectedLines returns only the owner's selected lines; removeCartLines removes only the given SKUs", async () => {
    const token = await shopperToken('cart-checkout');
    const other = await shopperToken('cart-checkout-other');
    const me = (await api('GET', '/store/v1/me', { token })).body.id as string;
    const { skuIds } = await product([{ stock: 10 }, { stock: 10 }, { stock: 10 }]);
    const [s1, s2, s3] = skuIds as [string, string, string];
    const i1 = (await add(s1, 2, { token })).body.itemId;
    const i2 = (await add(s2, 1, { token })).body.itemId;
    await add(s3, 1, { token });
    await add(s1, 4, { token: other });
    await api('POST', '/store/v1/cart/select', {
      token,
      body: { itemIds: [(await cart({ token })).body.groups[0].lines.find((l: any) => l.skuId === s3).itemId], selected: false },
    });

    const ctx = testCtx();
    expect(await getSelectedLines(ctx, me)).toEqual([
      { itemId: i1, skuId: s1, quantity: 2 },
      { itemId: i2, skuId: s2, quantity: 1 },
    ]);
    await removeCartLines(ctx, me, [s1, s2]);
    expect(lines((await cart({ token })).body).map((l) => l.skuId)).toEqual([s3]);
    expect(lineOf((await cart({ token: other })).body, s1).quantity).toBe(4);
  });
});

describe('OpenAPI', () => {
  it('documents the cart routes with their operationIds and the X-Guest-Cart header', async () => {
    const r = await api('GET', '/openapi.json');
    expect(r.status).toBe(200);
    const ops = Object.values(r.body.paths as Record<string, Record<string, any>>).flatMap((p) => Object.values(p));
    const byId = new Map(ops.map((o) => [o.operationId, o]));
    for (const id of ['createGuestCart', 'getCart', 'addCartItem', 'updateCartItem', 'removeCartItem', 'selectCartItems', 'mergeGuestCart'])
      expect(byId.has(id), id).toBe(true);
    expect(byId.get('getCart').parameters.map((p: any) => `${p.in}:${p.name}`)).toContain('header:x-guest-cart');
  });
});
