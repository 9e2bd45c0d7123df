// The checkout journey never reads a table whole: getCart, quoteCheckout (cart and buy-now, with
// a 满减 rule and a claimed coupon in play) and createOrder (buy-now and from the cart). Each
// request goes through the real app; every statement it runs — reads, the order batch and its
// guards — is explained (test/query-plans.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../test/helpers';
import { idem, sellable, shopperWithAddress } from '../../test/shop';
import { expectRequestPlans } from '../../test/query-plans';
import { invalidateActiveRules } from '../domains/promotions/promotion-rules/promotion-rules.service';

const H = 3600_000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();

let shopper: { token: string; addressId: string };
let skus: string[];

/** Sorts that only ever see one shopper's or one order's rows. */
const own = {
  cart_items: "one shopper's cart (at most 100 lines)",
  user_coupons: "one shopper's usable coupons (at most 200)",
  skus: "one product's SKUs",
  freight_templates: "one merchant's default freight templates (a handful)",
  orders: 'the orders of one checkout (one per merchant in it)',
  order_lines: 'the lines of those orders',
};

beforeAll(async () => {
  const a = await sellable(4990, 100);
  const b = await sellable(1990, 100);
  skus = [a.skuId, b.skuId];
  const admin = a.admin;
  const rule = await api('POST', '/admin/v1/promotion-rules', {
    token: admin,
    body: {
      kind: 'full_reduction',
      name: '满99减10',
      scope: { type: 'all' },
      tiers: [{ threshold: 9900, off: 1000 }],
      startsAt: at(-H),
      endsAt: at(24 * H),
    },
  });
  expect(rule.status, JSON.stringify(rule.body)).toBe(201);
  const tpl = await api('POST', '/admin/v1/coupon-templates', {
    token: admin,
    body: {
      name: '测试券',
      kind: 'amount_off',
      threshold: 0,
      amountOff: 500,
      scope: { type: 'all' },
      validDays: 7,
      totalQuantity: 100,
      perUserLimit: 5,
      channels: ['storefront'],
    },
  });
  expect(tpl.status, JSON.stringify(tpl.body)).toBe(201);
  shopper = await shopperWithAddress();
  const claimed = await api('POST', '/store/v1/coupons/claim', {
    token: shopper.token,
    body: { templateId: tpl.body.id },
    headers: idem(),
  });
  expect(claimed.status, JSON.stringify(claimed.body)).toBe(201);
  for (const skuId of skus) {
    const r = await api('POST', '/store/v1/cart/items', { token: shopper.token, body: { skuId, quantity: 2 } });
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  }
});

/** A shopper without a tier state is in the lowest active tier: LIMIT 1 ends that walk at its first row. */
const lowestTier = { 'member_tiers/member_tiers_active_rank_uq': 'the lowest active tier, LIMIT 1 (and a shop has a handful of tiers)' };

describe('checkout journey', () => {
  it('getCart', async () => {
    const r = await expectRequestPlans('getCart', 'GET', '/store/v1/cart', {
      token: shopper.token,
      sorts: own,
      walks: lowestTier,
      drives: { table: 'cart_items', first: /^SEARCH cart_items USING INDEX cart_items_owner_(idx|sku_uq) \(owner_id=\?\)/ },
    });
    expect(r.body.lineCount).toBe(2);
  });

  it('quoteCheckout: the selected cart lines, and buy-now', async () => {
    // The active rules are cached per isolate: start cold, so their query is checked too.
    invalidateActiveRules();
    const cart = await expectRequestPlans('quoteCheckout (cart)', 'POST', '/store/v1/checkout/quote', {
      token: shopper.token,
      body: { addressId: shopper.addressId },
      sorts: own,
      walks: lowestTier,
    });
    expect(cart.body.discountTotal).toBeGreaterThan(0);
    await expectRequestPlans('quoteCheckout (buy now)', 'POST', '/store/v1/checkout/quote', {
      token: shopper.token,
      body: { addressId: shopper.addressId, items: [{ skuId: skus[0], quantity: 1 }] },
      sorts: own,
      walks: lowestTier,
    });
  });

  it('createOrder: buy-now, then the cart (which empties it)', async () => {
    invalidateActiveRules();
    const now = await expectRequestPlans('createOrder (buy now)', 'POST', '/store/v1/orders', {
      token: shopper.token,
      headers: idem(),
      body: { addressId: shopper.addressId, items: [{ skuId: skus[1], quantity: 1 }] },
      sorts: own,
      walks: lowestTier,
    });
    expect(now.status).toBe(201);
    const fromCart = await expectRequestPlans('createOrder (cart)', 'POST', '/store/v1/orders', {
      token: shopper.token,
      headers: idem(),
      body: { addressId: shopper.addressId },
      sorts: own,
      walks: lowestTier,
    });
    expect(fromCart.status).toBe(201);
    expect((await api('GET', '/store/v1/cart', { token: shopper.token })).body.lineCount).toBe(0);
  });
});
