import { describe, expect, it } from 'vitest';
import { adminToken, api, shopperToken } from '../../test/helpers';

type Who = 'shopper' | 'admin';
interface KeyedRoute {
  operationId: string;
  method: 'POST';
  path: string;
  who: Who;
  required: boolean;
}

// Every route that takes an Idempotency-Key. The ids in the paths need not exist: the header is
// checked before any lookup, so a bad key is refused the same way whatever the rest of the request.
const ROUTES: KeyedRoute[] = [
  { operationId: 'createOrder', method: 'POST', path: '/store/v1/orders', who: 'shopper', required: true },
  {
    operationId: 'reserveFlashSale',
    method: 'POST',
    path: '/store/v1/flash-sales/fls_nothere00000000/reserve',
    who: 'shopper',
    required: true,
  },
  {
    operationId: 'openGroupBuyTeam',
    method: 'POST',
    path: '/store/v1/group-buys/gbd_nothere00000000/teams',
    who: 'shopper',
    required: true,
  },
  {
    operationId: 'joinGroupBuyTeam',
    method: 'POST',
    path: '/store/v1/group-buy-teams/gbt_nothere00000000/join',
    who: 'shopper',
    required: true,
  },
  { operationId: 'drawLottery', method: 'POST', path: '/store/v1/lotteries/lot_nothere00000000/draw', who: 'shopper', required: true },
  { operationId: 'recordSubscribeResults', method: 'POST', path: '/store/v1/me/subscribe-results', who: 'shopper', required: true },
  {
    operationId: 'redeemPointsMallItem',
    method: 'POST',
    path: '/store/v1/points-mall/items/pmi_nothere00000000/redeem',
    who: 'shopper',
    required: true,
  },
  {
    operationId: 'applyAfterSale',
    method: 'POST',
    path: '/store/v1/orders/ord_nothere00000000/after-sales',
    who: 'shopper',
    required: false,
  },
  { operationId: 'claimCoupon', method: 'POST', path: '/store/v1/coupons/claim', who: 'shopper', required: false },
  {
    operationId: 'adjustStock',
    method: 'POST',
    path: '/admin/v1/skus/sku_nothere00000000/stock-adjustments',
    who: 'admin',
    required: false,
  },
  { operationId: 'createPromotionRule', method: 'POST', path: '/admin/v1/promotion-rules', who: 'admin', required: false },
  { operationId: 'createCampaign', method: 'POST', path: '/admin/v1/campaigns', who: 'admin', required: false },
  { operationId: 'createReview', method: 'POST', path: '/store/v1/reviews', who: 'shopper', required: false },
  { operationId: 'createSpotCheck', method: 'POST', path: '/admin/v1/spot-checks', who: 'admin', required: false },
  {
    operationId: 'openTicketAfterSale',
    method: 'POST',
    path: '/admin/v1/support/tickets/tkt_nothere000000/after-sales',
    who: 'admin',
    required: true,
  },
  { operationId: 'createArticle', method: 'POST', path: '/admin/v1/content/articles', who: 'admin', required: false },
  { operationId: 'createHomeSection', method: 'POST', path: '/admin/v1/home-sections', who: 'admin', required: false },
];

const BAD_KEYS = ['short', 'x'.repeat(101), 'has spaces in it', 'semi;colons;not;allowed', 'slash/not/allowed'];

describe('Idempotency-Key', () => {
  it('a bad key is refused the same way on every route that takes one: 400 validation.failed naming idempotency-key', async () => {
    const tokens: Record<Who, string> = { shopper: await shopperToken('idem-conventions'), admin: await adminToken() };
    const errors: unknown[] = [];
    for (const r of ROUTES) {
      const sends: (Record<string, string> | null)[] = BAD_KEYS.map((k) => ({ 'idempotency-key': k }));
      if (r.required) sends.push(null);
      for (const headers of sends) {
        const res = await api(r.method, r.path, { token: tokens[r.who], body: {}, headers: headers ?? {} });
        expect(res.status, `${r.operationId} ${JSON.stringify(headers)}`).toBe(400);
        expect(res.body.error.code).toBe('validation.failed');
        expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['idempotency-key']);
        errors.push({ code: res.body.error.code, message: res.body.error.message });
      }
    }
    // one code and message whatever the route and whether the key was missing or malformed
    expect(new Set(errors.map((e) => JSON.stringify(e))).size).toBe(1);
  });

  it('OpenAPI documents the header on exactly these routes, with one schema, required where the route needs it', async () => {
    const spec = (await api('GET', '/openapi.json')).body;
    const found: Record<string, { required?: boolean; schema: unknown }> = {};
    for (const ops of Object.values(
      spec.paths as Record<
        string,
        Record<string, { operationId: string; parameters?: { name: string; in: string; required?: boolean; schema: unknown }[] }>
      >,
    ))
      for (const op of Object.values(ops)) {
        const p = op.parameters?.find((x) => x.in === 'header' && x.name.toLowerCase() === 'idempotency-key');
        if (p) found[op.operationId] = p;
      }
    expect(Object.keys(found).sort()).toEqual(ROUTES.map((r) => r.operationId).sort());
    for (const r of ROUTES) expect(found[r.operationId]!.required ?? false, r.operationId).toBe(r.required);
    expect(new Set(Object.values(found).map((p) => JSON.stringify(p.schema))).size).toBe(1);
  });

  it('a good key passes the header check (the request then fails or succeeds on its own merits)', async () => {
    const token = await shopperToken('idem-conventions');
    const res = await api('POST', '/store/v1/lotteries/lot_nothere00000000/draw', {
      token,
      headers: { 'idempotency-key': `k-${crypto.randomUUID()}` },
    });
    expect(res.status).toBe(404);
  });
});
