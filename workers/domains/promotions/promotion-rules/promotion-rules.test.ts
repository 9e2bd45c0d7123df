import { describe, expect, it } from 'vitest';
import { adminToken, api, env, shopperToken, staffToken } from '../../../../test/helpers';
import { systemCtx } from '../../../../test/ctx';
import { sellable } from '../../../../test/shop';
import { ensureMerchant } from '../../merchants/merchants.service';
import { DEFAULT_STACKING_POLICY } from '../stacking';
import { activePromotionRules, invalidateActiveRules, updatePromotionRule } from './promotion-rules.service';

const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();
const create = (token: string | undefined, body: unknown) => api('POST', '/admin/v1/promotion-rules', { token, body });

const common = (over: Record<string, unknown> = {}) => ({
  name: 'rule',
  scope: { type: 'all' },
  startsAt: at(-MIN),
  endsAt: at(HOUR),
  ...over,
});
const tiered = (over: Record<string, unknown> = {}) =>
  common({
    kind: 'full_reduction',
    tiers: [
      { threshold: 19900, off: 3000 },
      { threshold: 29900, off: 6000 },
    ],
    ...over,
  });

describe('createPromotionRule', () => {
  it('creates a tiered 满减 with a generated label, ISO dates and its state', async () => {
    const admin = await adminToken();
    const r = await create(admin, tiered({ name: '店庆满减' }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      kind: 'full_reduction',
      name: '店庆满减',
      label: '满199减30/满299减60',
      merchantId: 'mch_platform',
      basis: 'amount',
      repeat: false,
      cap: null,
      rate: null,
      prices: null,
      priority: 0,
      campaignId: null,
      status: 'active',
      state: 'live',
      scope: { type: 'all' },
      tiers: [
        { threshold: 19900, off: 3000 },
        { threshold: 29900, off: 6000 },
      ],
    });
    expect(r.body.id).toMatch(/^prr_/);
    expect(Date.parse(r.body.endsAt) - Date.parse(r.body.startsAt)).toBeGreaterThan(HOUR);
    const got = await api('GET', `/admin/v1/promotion-rules/${r.body.id}`, { token: admin });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(r.body);
    expect((await api('GET', '/admin/v1/promotion-rules/prr_doesnotexist000', { token: admin })).body.error.code).toBe(
      'promotions.rule_not_found',
    );
  });

  it('generates labels for every kind, and keeps a given one', async () => {
    const admin = await adminToken();
    const label = async (body: unknown) => {
      const r = await create(admin, body);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.label;
    };
    expect(await label(common({ kind: 'full_reduction', repeat: true, tiers: [{ threshold: 10000, off: 1000 }], cap: 5000 }))).toBe(
      '每满100减10 最高减50',
    );
    expect(await label(common({ kind: 'full_reduction', repeat: true, tiers: [{ threshold: 9950, off: 1000 }] }))).toBe('每满99.5减10');
    expect(
      await label(
        common({
          kind: 'full_discount',
          basis: 'quantity',
          tiers: [
            { threshold: 2, rate: 90 },
            { threshold: 3, rate: 85 },
          ],
        }),
      ),
    ).toBe('满2件9折/满3件8.5折');
    expect(await label(common({ kind: 'full_discount', tiers: [{ threshold: 19900, rate: 88 }] }))).toBe('满199享8.8折');
    expect(await label(common({ kind: 'limited_time', rate: 80, scope: { type: 'categories', ids: ['cat_whatever01'] } }))).toBe('限时8折');
    // quantity basis: off is fen and thresholds are units, so "off < threshold" does not apply
    expect(await label(common({ kind: 'full_reduction', basis: 'quantity', tiers: [{ threshold: 2, off: 500 }] }))).toBe('满2件减5');
    expect(await label(tiered({ label: '双十一 满199减30' }))).toBe('双十一 满199减30');
  });

  it.each([
    [
      'thresholds not increasing',
      tiered({
        tiers: [
          { threshold: 29900, off: 3000 },
          { threshold: 19900, off: 6000 },
        ],
      }),
      'tiers',
    ],
    [
      'equal thresholds',
      tiered({
        tiers: [
          { threshold: 19900, off: 3000 },
          { threshold: 19900, off: 6000 },
        ],
      }),
      'tiers',
    ],
    [
      'off not increasing',
      tiered({
        tiers: [
          { threshold: 19900, off: 6000 },
          { threshold: 29900, off: 6000 },
        ],
      }),
      'tiers',
    ],
    ['off equal to threshold (满5减5)', tiered({ tiers: [{ threshold: 500, off: 500 }] }), 'tiers.0.off'],
    ['off above threshold', tiered({ tiers: [{ threshold: 500, off: 800 }] }), 'tiers.0.off'],
    ['six tiers', tiered({ tiers: [1, 2, 3, 4, 5, 6].map((i) => ({ threshold: i * 1000, off: i * 100 })) }), 'tiers'],
    ['no tiers', tiered({ tiers: [] }), 'tiers'],
    ['repeat with two tiers', tiered({ repeat: true }), 'tiers'],
    ['cap without repeat', tiered({ cap: 5000 }), 'cap'],
    ['cap below one repeat', common({ kind: 'full_reduction', repeat: true, tiers: [{ threshold: 10000, off: 1000 }], cap: 500 }), 'cap'],
    ['fractional fen', tiered({ tiers: [{ threshold: 199.5, off: 30 }] }), 'tiers.0.threshold'],
    ['rate 0', common({ kind: 'full_discount', tiers: [{ threshold: 2, rate: 0 }] }), 'tiers.0.rate'],
    ['rate 100', common({ kind: 'full_discount', tiers: [{ threshold: 2, rate: 100 }] }), 'tiers.0.rate'],
    [
      'rates not decreasing',
      common({
        kind: 'full_discount',
        tiers: [
          { threshold: 2, rate: 85 },
          { threshold: 3, rate: 90 },
        ],
      }),
      'tiers',
    ],
    ['限时 rate 100', common({ kind: 'limited_time', rate: 100, scope: { type: 'products', ids: ['prd_whatever01'] } }), 'rate'],
    ['限时 without rate or prices', common({ kind: 'limited_time', scope: { type: 'products', ids: ['prd_whatever01'] } }), 'rate'],
    ['限时 over everything', common({ kind: 'limited_time', rate: 80 }), 'scope.type'],
    [
      '限时 price of 0',
      common({ kind: 'limited_time', prices: { sku_whatever01: 0 }, scope: { type: 'skus', ids: ['sku_whatever01'] } }),
      'prices.sku_whatever01',
    ],
    ['end before start', tiered({ startsAt: at(HOUR), endsAt: at(MIN) }), 'endsAt'],
    ['empty scope ids', tiered({ scope: { type: 'products', ids: [] } }), 'scope.ids'],
    ['unknown kind', common({ kind: 'buy_one_get_one' }), 'kind'],
  ])('refuses %s with 400 validation.failed', async (_what, body, path) => {
    const r = await create(await adminToken(), body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation.failed');
    expect(r.body.error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
  });

  it('refuses a window already over, an unknown campaign and an unknown merchant', async () => {
    const admin = await adminToken();
    const ended = await create(admin, tiered({ startsAt: at(-2 * HOUR), endsAt: at(-HOUR) }));
    expect([ended.status, ended.body.error.code]).toEqual([400, 'promotions.already_ended']);
    const c = await create(admin, tiered({ campaignId: 'cmp_doesnotexist00' }));
    expect([c.status, c.body.error.code]).toEqual([404, 'promotions.campaign_not_found']);
    const m = await create(admin, tiered({ merchantId: 'mch_nobody0000' }));
    expect([m.status, m.body.error.code]).toEqual([404, 'merchants.not_found']);
    await ensureMerchant(systemCtx(), { id: 'mch_rulesshop01', name: '规则小店' });
    const ok = await create(admin, tiered({ merchantId: 'mch_rulesshop01' }));
    expect(ok.status).toBe(201);
    expect(ok.body.merchantId).toBe('mch_rulesshop01');
    const n = await env.DB.prepare(
      "SELECT count(*) AS n FROM promotion_rules WHERE merchant_id = 'mch_nobody0000' OR campaign_id = 'cmp_doesnotexist00'",
    ).first<{ n: number }>();
    expect(n!.n).toBe(0);
  });

  it('checks 限时折扣 fixed prices against real SKUs: they exist, are in scope and below list price', async () => {
    const { admin, skuId, productId } = await sellable(5000, 10);
    const other = await sellable(3000, 10);
    const lt = (prices: Record<string, number>, scope: unknown = { type: 'products', ids: [productId] }) =>
      create(admin, common({ kind: 'limited_time', prices, scope }));
    const missing = await lt({ sku_doesnotexist00: 100 });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'promotions.sku_not_found']);
    const outside = await lt({ [other.skuId]: 1000 });
    expect([outside.status, outside.body.error.code]).toEqual([400, 'promotions.price_outside_scope']);
    const notBelow = await lt({ [skuId]: 5000 });
    expect([notBelow.status, notBelow.body.error.code]).toEqual([400, 'promotions.price_not_below_list']);
    const ok = await lt({ [skuId]: 3990 });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ kind: 'limited_time', label: '限时特价', prices: { [skuId]: 3990 }, rate: null, tiers: [] });
    const bySku = await lt({ [skuId]: 3990 }, { type: 'skus', ids: [skuId] });
    expect(bySku.status).toBe(201);
  });

  it('with an Idempotency-Key, a retry returns the first rule and creates nothing', async () => {
    const admin = await adminToken();
    const key = `rule-${crypto.randomUUID()}`;
    const send = () =>
      api('POST', '/admin/v1/promotion-rules', { token: admin, body: tiered({ name: 'idem' }), headers: { 'idempotency-key': key } });
    const first = await send();
    expect(first.status).toBe(201);
    const again = await send();
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const n = await env.DB.prepare("SELECT count(*) AS n FROM promotion_rules WHERE name = 'idem'").first<{ n: number }>();
    expect(n!.n).toBe(1);
    // another staff member's same key is their own request
    const other = await api('POST', '/admin/v1/promotion-rules', {
      token: await staffToken('operator'),
      body: tiered({ name: 'idem' }),
      headers: { 'idempotency-key': key },
    });
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.body.id);
  });

  it('is for staff with promotions.write: support 403, shopper 403, nobody 401', async () => {
    const support = await create(await staffToken('support'), tiered());
    expect([support.status, support.body.error.code]).toEqual([403, 'auth.forbidden']);
    expect((await create(await shopperToken('rules-shopper'), tiered())).status).toBe(403);
    expect((await create(undefined, tiered())).status).toBe(401);
    expect((await api('GET', '/admin/v1/promotion-rules', { token: await staffToken('support') })).status).toBe(403);
    expect((await create(await staffToken('operator'), tiered())).status).toBe(201);
  });
});

describe('listPromotionRules and updatePromotionRule', () => {
  it('lists newest first with filters and pages', async () => {
    const admin = await adminToken();
    const campaign = await api('POST', '/admin/v1/campaigns', {
      token: admin,
      body: { name: 'list test', startsAt: at(-MIN), endsAt: at(HOUR), budget: 0 },
    });
    expect(campaign.status).toBe(201);
    const a = (
      await create(
        admin,
        common({ kind: 'full_discount', tiers: [{ threshold: 2, rate: 90 }], basis: 'quantity', campaignId: campaign.body.id }),
      )
    ).body;
    const b = (
      await create(
        admin,
        common({ kind: 'full_discount', tiers: [{ threshold: 3, rate: 80 }], basis: 'quantity', campaignId: campaign.body.id }),
      )
    ).body;
    const soon = (await create(admin, tiered({ startsAt: at(HOUR), endsAt: at(2 * HOUR) }))).body;
    const byCampaign = await api('GET', `/admin/v1/promotion-rules?campaignId=${campaign.body.id}`, { token: admin });
    expect(byCampaign.body.items.map((r: any) => r.id)).toEqual([b.id, a.id]);
    const p1 = await api('GET', `/admin/v1/promotion-rules?campaignId=${campaign.body.id}&limit=1`, { token: admin });
    expect(p1.body.items.map((r: any) => r.id)).toEqual([b.id]);
    const p2 = await api('GET', `/admin/v1/promotion-rules?campaignId=${campaign.body.id}&limit=1&cursor=${p1.body.nextCursor}`, {
      token: admin,
    });
    expect(p2.body).toMatchObject({ items: [{ id: a.id }], nextCursor: null });
    const discounts = await api('GET', '/admin/v1/promotion-rules?kind=full_discount&limit=100', { token: admin });
    expect(discounts.body.items.every((r: any) => r.kind === 'full_discount')).toBe(true);
    const upcoming = await api('GET', '/admin/v1/promotion-rules?state=upcoming&limit=100', { token: admin });
    expect(upcoming.body.items.map((r: any) => r.id)).toContain(soon.id);
    expect(upcoming.body.items.every((r: any) => r.state === 'upcoming')).toBe(true);
    // the old word is refused, not silently ignored
    expect((await api('GET', '/admin/v1/promotion-rules?state=scheduled', { token: admin })).status).toBe(400);
    expect((await api('GET', '/admin/v1/promotion-rules?kind=bogus', { token: admin })).status).toBe(400);
  });

  it('changes only status and end; terms are immutable', async () => {
    const admin = await adminToken();
    const rule = (await create(admin, tiered())).body;
    const patch = (body: unknown) => api('PATCH', `/admin/v1/promotion-rules/${rule.id}`, { token: admin, body });
    const off = await patch({ status: 'disabled' });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ status: 'disabled', state: 'disabled' });
    expect(
      (await api('GET', '/admin/v1/promotion-rules?status=disabled&limit=100', { token: admin })).body.items.map((r: any) => r.id),
    ).toContain(rule.id);
    const later = at(5 * HOUR);
    const moved = await patch({ status: 'active', endsAt: later });
    expect(moved.body).toMatchObject({ status: 'active', state: 'live', endsAt: later });
    const terms = await patch({ tiers: [{ threshold: 100, off: 99 }] });
    expect(terms.status).toBe(400);
    expect(terms.body.error.code).toBe('validation.failed');
    expect((await patch({})).status).toBe(400);
    expect((await patch({ endsAt: at(-2 * HOUR) })).body.error.code).toBe('promotions.invalid_window');
    expect((await patch({ endsAt: at(-30_000) })).body.error.code).toBe('promotions.ends_in_past');
    expect(
      (await api('PATCH', '/admin/v1/promotion-rules/prr_doesnotexist000', { token: admin, body: { status: 'disabled' } })).status,
    ).toBe(404);
    const after = (await api('GET', `/admin/v1/promotion-rules/${rule.id}`, { token: admin })).body;
    expect(after.tiers).toEqual(rule.tiers);
  });
});

describe('activePromotionRules', () => {
  it('returns active rules inside their window, highest priority first', async () => {
    const admin = await adminToken();
    const now = Date.now();
    const t = (ms: number) => new Date(now + ms).toISOString();
    const mk = async (over: Record<string, unknown>) =>
      (await create(admin, tiered({ name: 'window', startsAt: t(-MIN), endsAt: t(HOUR), ...over }))).body.id as string;
    const live = await mk({ priority: 1 });
    const urgent = await mk({ priority: 9 });
    const later = await mk({ startsAt: t(2 * HOUR), endsAt: t(3 * HOUR) });
    const disabled = await mk({});
    await api('PATCH', `/admin/v1/promotion-rules/${disabled}`, { token: admin, body: { status: 'disabled' } });
    const mine = [live, urgent, later, disabled];
    const activeAt = async (ms: number) => {
      invalidateActiveRules();
      return (await activePromotionRules(systemCtx(now + ms))).map((r) => r.id).filter((id) => mine.includes(id));
    };
    expect(await activeAt(0)).toEqual([urgent, live]);
    expect(await activeAt(-MIN - 1)).toEqual([]);
    expect(await activeAt(-MIN)).toEqual([urgent, live]);
    expect(await activeAt(HOUR - 1)).toEqual([urgent, live]);
    expect(await activeAt(HOUR)).toEqual([]); // the end is exclusive
    expect(await activeAt(2 * HOUR)).toEqual([later]);
    const row = (await activePromotionRules(systemCtx(now))).find((r) => r.id === live)!;
    expect(row).toMatchObject({
      kind: 'full_reduction',
      status: 'active',
      campaignId: null,
      startsAt: now - MIN,
      endsAt: now + HOUR,
      tiers: [
        { threshold: 19900, off: 3000 },
        { threshold: 29900, off: 6000 },
      ],
    });
  });

  it('is cached per isolate for 5 s, and a change through the service drops the cache at once', async () => {
    const admin = await adminToken();
    const id = (await create(admin, tiered({ name: 'cache' }))).body.id as string;
    const now = Date.now();
    const ids = async (t: number) => (await activePromotionRules(systemCtx(t))).map((r) => r.id);
    invalidateActiveRules();
    expect(await ids(now)).toContain(id);
    // a change behind the service's back is seen only once the cache expires
    await env.DB.prepare("UPDATE promotion_rules SET status = 'disabled' WHERE id = ?").bind(id).run();
    expect(await ids(now + 4_000)).toContain(id);
    expect(await ids(now + 5_000)).not.toContain(id);
    // a change through the service is seen at once
    await updatePromotionRule(systemCtx(now + 5_001), id, { status: 'active' });
    expect(await ids(now + 5_002)).toContain(id);
  });
});

describe('stacking policy', () => {
  it('reads the defaults, round-trips a PUT, and explains it on the storefront', async () => {
    const admin = await adminToken();
    const first = await api('GET', '/admin/v1/promotions/stacking-policy', { token: admin });
    expect(first.status).toBe(200);
    expect(first.body).toEqual(DEFAULT_STACKING_POLICY);
    const next = {
      ...DEFAULT_STACKING_POLICY,
      limitedTimeExcludesCoupons: true,
      shopCouponsPerMerchant: 2,
      platformWithShopCoupons: false,
    };
    const put = await api('PUT', '/admin/v1/promotions/stacking-policy', { token: admin, body: next });
    expect(put.status).toBe(200);
    expect(put.body).toEqual(next);
    expect((await api('GET', '/admin/v1/promotions/stacking-policy', { token: admin })).body).toEqual(next);
    const row = await env.DB.prepare("SELECT value FROM promotion_settings WHERE key = 'stacking'").first<{ value: string }>();
    expect(JSON.parse(row!.value)).toEqual(next);
    const store = await api('GET', '/store/v1/promotions/stacking-policy');
    expect(store.status).toBe(200);
    expect(store.body.policy).toEqual(next);
    expect(store.body.explanation.join('\n')).toContain('每个店铺最多使用2张店铺券');
    expect(store.body.explanation.join('\n')).toContain('不可与店铺券同时使用');
    expect(store.body.explanation.join('\n')).toContain('限时折扣商品不可用券');
    // back to the defaults for the other tests in this file
    expect((await api('PUT', '/admin/v1/promotions/stacking-policy', { token: admin, body: DEFAULT_STACKING_POLICY })).status).toBe(200);
  });

  it('validates the whole object and needs promotions.write', async () => {
    const admin = await adminToken();
    const put = (body: unknown, token = admin) => api('PUT', '/admin/v1/promotions/stacking-policy', { token, body });
    const tooMany = await put({ ...DEFAULT_STACKING_POLICY, shopCouponsPerMerchant: 5 });
    expect([tooMany.status, tooMany.body.error.code]).toEqual([400, 'validation.failed']);
    const { platformCouponsPerOrder: _, ...partial } = DEFAULT_STACKING_POLICY;
    const missing = await put(partial);
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.issues[0].path).toBe('platformCouponsPerOrder');
    expect((await put({ ...DEFAULT_STACKING_POLICY, limitedTimeExcludesCoupons: 'yes' })).status).toBe(400);
    expect((await put(DEFAULT_STACKING_POLICY, await staffToken('support'))).status).toBe(403);
    expect((await api('GET', '/admin/v1/promotions/stacking-policy', { token: await shopperToken('policy-peek') })).status).toBe(403);
    expect((await api('GET', '/admin/v1/promotions/stacking-policy')).status).toBe(401);
    expect((await api('GET', '/admin/v1/promotions/stacking-policy', { token: admin })).body).toEqual(DEFAULT_STACKING_POLICY);
  });
});
