import { describe, expect, it } from 'vitest';
import { adminToken, api, env, shopperToken, staffToken } from '../../../../test/helpers';
import { systemCtx } from '../../../../test/ctx';
import { newId } from '../../../shared/ids';
import { flashSales } from '../../flash-sales/schema';
import { activePromotionRules, invalidateActiveRules } from '../promotion-rules/promotion-rules.service';
import { couponTemplates, lotteries } from '../schema';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();

const banner = (n = 1) => ({ imageUrl: `/media/banners/1111-${n}.jpg`, title: `双十一 ${n}`, link: '/pages/campaign/1111' });
const campaignBody = (over: Record<string, unknown> = {}) => ({
  name: '双十一',
  description: '全场满减',
  startsAt: at(-MIN),
  endsAt: at(DAY),
  budget: 1_000_000,
  banners: [banner()],
  ...over,
});
const createCampaign = (token: string | undefined, body: unknown) => api('POST', '/admin/v1/campaigns', { token, body });
const createRule = async (token: string, over: Record<string, unknown> = {}) => {
  const r = await api('POST', '/admin/v1/promotion-rules', {
    token,
    body: {
      kind: 'full_reduction',
      name: '满减',
      scope: { type: 'all' },
      tiers: [{ threshold: 19900, off: 3000 }],
      startsAt: at(-MIN),
      endsAt: at(DAY),
      ...over,
    },
  });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body.id as string;
};

/** Coupon templates and lotteries are other engineers' routes; rows are written directly here. */
async function makeTemplate(over: Partial<typeof couponTemplates.$inferInsert> = {}) {
  const now = Date.now();
  const id = newId('cpt');
  await systemCtx()
    .db.insert(couponTemplates)
    .values({
      id,
      merchantId: 'mch_platform',
      name: '满100减10',
      kind: 'amount_off',
      threshold: 10000,
      amountOff: 1000,
      scope: { type: 'all' },
      validDays: 7,
      claimStartsAt: now - MIN,
      claimEndsAt: now + DAY,
      totalQuantity: 100,
      channels: ['storefront'],
      createdBy: 'test',
      createdAt: now,
      ...over,
    });
  return id;
}
async function makeLottery(over: Partial<typeof lotteries.$inferInsert> = {}) {
  const now = Date.now();
  const id = newId('lot');
  await systemCtx()
    .db.insert(lotteries)
    .values({ id, name: '幸运抽奖', startsAt: now - MIN, endsAt: now + DAY, budget: 10000, createdBy: 'test', createdAt: now, ...over });
  return id;
}
async function makeFlashSale(over: Partial<typeof flashSales.$inferInsert> = {}) {
  const now = Date.now();
  const id = newId('fls');
  await systemCtx()
    .db.insert(flashSales)
    .values({
      id,
      skuId: 'sku_campaigntest01',
      productId: 'prd_campaigntest01',
      merchantId: 'mch_platform',
      salePrice: 990,
      allocated: 10,
      perShopperLimit: 1,
      startsAt: now - MIN,
      endsAt: now + HOUR,
      reservationTtlMs: 900_000,
      seriesId: id,
      createdAt: now,
      ...over,
    });
  return id;
}
const campaignIdOf = async (table: string, id: string) =>
  (await env.DB.prepare(`SELECT campaign_id AS c FROM ${table} WHERE id = ?`).bind(id).first<{ c: string | null }>())!.c;

describe('createCampaign', () => {
  it('creates a campaign and links its rules, coupon templates, lotteries and flash sales in one write', async () => {
    const admin = await adminToken();
    const ruleId = await createRule(admin);
    const templateId = await makeTemplate();
    const lotteryId = await makeLottery();
    const saleId = await makeFlashSale();
    const r = await createCampaign(
      admin,
      campaignBody({
        segment: { kind: 'new_users', days: 30 },
        popup: banner(9),
        priority: 3,
        ruleIds: [ruleId],
        couponTemplateIds: [templateId],
        lotteryIds: [lotteryId],
        flashSaleIds: [saleId],
      }),
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      name: '双十一',
      description: '全场满减',
      segment: { kind: 'new_users', days: 30 },
      budget: 1_000_000,
      budgetUsed: 0,
      budgetRemaining: 1_000_000,
      banners: [banner()],
      popup: banner(9),
      priority: 3,
      status: 'active',
      state: 'live',
      flashSaleIds: [saleId],
      rules: [{ id: ruleId, kind: 'full_reduction', label: '满199减30', state: 'live' }],
      couponTemplates: [{ id: templateId, name: '满100减10', issuedCount: 0, totalQuantity: 100 }],
      lotteries: [{ id: lotteryId, name: '幸运抽奖', budget: 10000 }],
      flashSales: [{ id: saleId, salePrice: 990, status: 'active' }],
    });
    expect(r.body.id).toMatch(/^cmp_/);
    const rule = await api('GET', `/admin/v1/promotion-rules/${ruleId}`, { token: admin });
    expect(rule.body.campaignId).toBe(r.body.id);
    expect(await campaignIdOf('coupon_templates', templateId)).toBe(r.body.id);
    expect(await campaignIdOf('lotteries', lotteryId)).toBe(r.body.id);
    const got = await api('GET', `/admin/v1/campaigns/${r.body.id}`, { token: admin });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(r.body);
    const list = await api('GET', '/admin/v1/campaigns?state=live&limit=100', { token: admin });
    expect(list.body.items.map((c: any) => c.id)).toContain(r.body.id);
    expect((await api('GET', '/admin/v1/campaigns/cmp_doesnotexist00', { token: admin })).body.error.code).toBe(
      'promotions.campaign_not_found',
    );
  });

  it.each([
    ['ruleIds', 'promotions.rule_not_found', 'prr_doesnotexist00'],
    ['couponTemplateIds', 'promotions.coupon_template_not_found', 'cpt_doesnotexist00'],
    ['lotteryIds', 'promotions.lottery_not_found', 'lot_doesnotexist00'],
    ['flashSaleIds', 'promotions.flash_sale_not_found', 'fls_doesnotexist00'],
  ])('refuses an unknown id in %s with 404 and writes nothing', async (field, code, unknown) => {
    const admin = await adminToken();
    const ruleId = await createRule(admin);
    const templateId = await makeTemplate();
    const lotteryId = await makeLottery();
    const saleId = await makeFlashSale();
    const links: Record<string, string[]> = {
      ruleIds: [ruleId],
      couponTemplateIds: [templateId],
      lotteryIds: [lotteryId],
      flashSaleIds: [saleId],
    };
    links[field] = [...links[field]!, unknown];
    const name = `nothing-${crypto.randomUUID().slice(0, 8)}`;
    const r = await createCampaign(admin, campaignBody({ name, ...links }));
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.details.ids).toEqual([unknown]);
    const n = await env.DB.prepare('SELECT count(*) AS n FROM campaigns WHERE name = ?').bind(name).first<{ n: number }>();
    expect(n!.n).toBe(0);
    expect(await campaignIdOf('promotion_rules', ruleId)).toBeNull();
    expect(await campaignIdOf('coupon_templates', templateId)).toBeNull();
    expect(await campaignIdOf('lotteries', lotteryId)).toBeNull();
  });

  it('refuses an item that already belongs to another campaign (409) and writes nothing', async () => {
    const admin = await adminToken();
    const taken = await createRule(admin);
    const free = await createRule(admin);
    const first = await createCampaign(admin, campaignBody({ ruleIds: [taken] }));
    expect(first.status).toBe(201);
    const name = `second-${crypto.randomUUID().slice(0, 8)}`;
    const second = await createCampaign(admin, campaignBody({ name, ruleIds: [free, taken] }));
    expect([second.status, second.body.error.code]).toEqual([409, 'promotions.already_in_campaign']);
    expect(await campaignIdOf('promotion_rules', taken)).toBe(first.body.id);
    expect(await campaignIdOf('promotion_rules', free)).toBeNull();
    expect((await env.DB.prepare('SELECT count(*) AS n FROM campaigns WHERE name = ?').bind(name).first<{ n: number }>())!.n).toBe(0);
  });

  it.each([
    ['end before start', campaignBody({ startsAt: at(HOUR), endsAt: at(MIN) }), 'endsAt'],
    ['a banner on http', campaignBody({ banners: [{ ...banner(), imageUrl: 'http://cdn.example.com/a.jpg' }] }), 'banners.0.imageUrl'],
    [
      'a banner link that is no path or https URL',
      campaignBody({ banners: [{ ...banner(), link: 'javascript:alert(1)' }] }),
      'banners.0.link',
    ],
    ['eleven banners', campaignBody({ banners: Array.from({ length: 11 }, (_, i) => banner(i)) }), 'banners'],
    ['a negative budget', campaignBody({ budget: -1 }), 'budget'],
    ['a bad segment', campaignBody({ segment: { kind: 'new_users', days: 0 } }), 'segment.days'],
    ['repeated ids', campaignBody({ ruleIds: ['prr_aaaaaaaa', 'prr_aaaaaaaa'] }), 'ruleIds'],
  ])('refuses %s with 400', async (_what, body, path) => {
    const r = await createCampaign(await adminToken(), body);
    expect(r.status).toBe(400);
    expect(r.body.error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
  });

  it('with an Idempotency-Key, a retry returns the first campaign and creates nothing', async () => {
    const admin = await adminToken();
    const ruleId = await createRule(admin);
    const name = `idem-${crypto.randomUUID().slice(0, 8)}`;
    const send = () =>
      api('POST', '/admin/v1/campaigns', {
        token: admin,
        body: campaignBody({ name, ruleIds: [ruleId] }),
        headers: { 'idempotency-key': `cmp-${name}` },
      });
    const first = await send();
    expect(first.status).toBe(201);
    const again = await send();
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM campaigns WHERE name = ?').bind(name).first<{ n: number }>())!.n).toBe(1);
  });

  it('accepts https banners and refuses a campaign already over', async () => {
    const admin = await adminToken();
    const ok = await createCampaign(
      admin,
      campaignBody({ banners: [{ ...banner(), imageUrl: 'https://cdn.example.com/a.jpg', link: 'https://m.example.com/1111' }] }),
    );
    expect(ok.status).toBe(201);
    const over = await createCampaign(admin, campaignBody({ startsAt: at(-2 * DAY), endsAt: at(-DAY) }));
    expect([over.status, over.body.error.code]).toEqual([400, 'promotions.already_ended']);
  });

  it('is for staff with promotions.write: support 403, shopper 403, nobody 401', async () => {
    const support = await createCampaign(await staffToken('support'), campaignBody());
    expect([support.status, support.body.error.code]).toEqual([403, 'auth.forbidden']);
    expect((await createCampaign(await shopperToken('campaign-shopper'), campaignBody())).status).toBe(403);
    expect((await createCampaign(undefined, campaignBody())).status).toBe(401);
    expect((await api('GET', '/admin/v1/campaigns', { token: await staffToken('support') })).status).toBe(403);
    expect((await createCampaign(await staffToken('operator'), campaignBody())).status).toBe(201);
  });
});

describe('updateCampaign', () => {
  it('changes status, end, banners and popup, and only raises the budget', async () => {
    const admin = await adminToken();
    const c = (await createCampaign(admin, campaignBody({ budget: 5000, popup: banner(2) }))).body;
    const patch = (body: unknown) => api('PATCH', `/admin/v1/campaigns/${c.id}`, { token: admin, body });
    const raised = await patch({ budget: 8000, banners: [banner(3), banner(4)], popup: null });
    expect(raised.status).toBe(200);
    expect(raised.body).toMatchObject({ budget: 8000, budgetRemaining: 8000, banners: [banner(3), banner(4)], popup: null });
    const lowered = await patch({ budget: 7999 });
    expect([lowered.status, lowered.body.error.code]).toEqual([400, 'promotions.budget_lowered']);
    const off = await patch({ status: 'disabled' });
    expect(off.body).toMatchObject({ status: 'disabled', state: 'disabled' });
    const end = at(2 * DAY);
    expect((await patch({ status: 'active', endsAt: end })).body).toMatchObject({ status: 'active', state: 'live', endsAt: end });
    expect((await patch({ segment: { kind: 'all' } })).status).toBe(400);
    expect((await patch({})).status).toBe(400);
    expect((await patch({ endsAt: at(-HOUR) })).body.error.code).toBe('promotions.invalid_window');
    expect((await api('PATCH', '/admin/v1/campaigns/cmp_doesnotexist00', { token: admin, body: { status: 'disabled' } })).status).toBe(404);
  });
});

describe('activePromotionRules and campaigns', () => {
  it('applies a campaign rule only while its campaign is active, live and has budget left', async () => {
    const admin = await adminToken();
    const now = Date.now();
    const ruleId = await createRule(admin, { startsAt: new Date(now - HOUR).toISOString(), endsAt: new Date(now + 2 * DAY).toISOString() });
    const c = (
      await createCampaign(
        admin,
        campaignBody({
          startsAt: new Date(now - MIN).toISOString(),
          endsAt: new Date(now + DAY).toISOString(),
          budget: 1000,
          ruleIds: [ruleId],
        }),
      )
    ).body;
    const has = async (t: number) => {
      invalidateActiveRules();
      return (await activePromotionRules(systemCtx(t))).some((r) => r.id === ruleId);
    };
    expect(await has(now)).toBe(true);
    expect(await has(now - 2 * MIN)).toBe(false); // rule live, campaign not started
    expect(await has(now + DAY)).toBe(false); // rule live, campaign over
    await env.DB.prepare('UPDATE campaigns SET budget_used = 999 WHERE id = ?').bind(c.id).run();
    expect(await has(now)).toBe(true);
    await env.DB.prepare('UPDATE campaigns SET budget_used = 1000 WHERE id = ?').bind(c.id).run();
    expect(await has(now)).toBe(false); // budget used up
    expect((await api('PATCH', `/admin/v1/campaigns/${c.id}`, { token: admin, body: { budget: 2000 } })).status).toBe(200);
    expect(await has(now)).toBe(true);
    expect((await api('PATCH', `/admin/v1/campaigns/${c.id}`, { token: admin, body: { status: 'disabled' } })).status).toBe(200);
    expect(await has(now)).toBe(false);
    // a campaign with a zero budget never lets its rules apply
    const zeroRule = await createRule(admin);
    await createCampaign(admin, campaignBody({ budget: 0, ruleIds: [zeroRule] }));
    invalidateActiveRules();
    expect((await activePromotionRules(systemCtx())).some((r) => r.id === zeroRule)).toBe(false);
  });
});

describe('getHomeCampaign', () => {
  it('shows the highest-priority live campaign whose segment includes the shopper', async () => {
    const admin = await adminToken();
    // campaigns of other tests have priority ≤ 3; these outrank them
    const templateId = await makeTemplate();
    const codeOnly = await makeTemplate({ channels: ['code'], code: `CODE${crypto.randomUUID().slice(0, 6).toUpperCase()}` });
    const soldOut = await makeTemplate({ totalQuantity: 1, issuedCount: 1 });
    const notYet = await makeTemplate({ claimStartsAt: Date.now() + HOUR, claimEndsAt: Date.now() + DAY });
    const lotteryId = await makeLottery();
    const endedSale = await makeFlashSale({ startsAt: Date.now() - 2 * HOUR, endsAt: Date.now() - HOUR });
    const upcomingSale = await makeFlashSale({ startsAt: Date.now() + HOUR, endsAt: Date.now() + 2 * HOUR });
    const everyone = await createCampaign(
      admin,
      campaignBody({
        name: '全场',
        priority: 500,
        couponTemplateIds: [templateId, codeOnly, soldOut, notYet],
        lotteryIds: [lotteryId],
        flashSaleIds: [endedSale, upcomingSale],
        popup: banner(5),
      }),
    );
    expect(everyone.status).toBe(201);
    const newcomers = await createCampaign(
      admin,
      campaignBody({ name: '新人专享', priority: 900, segment: { kind: 'new_users', days: 7 } }),
    );
    const hidden = await createCampaign(admin, campaignBody({ name: '已停用', priority: 999 }));
    await api('PATCH', `/admin/v1/campaigns/${hidden.body.id}`, { token: admin, body: { status: 'disabled' } });
    await createCampaign(admin, campaignBody({ name: '未开始', priority: 999, startsAt: at(HOUR), endsAt: at(DAY) }));

    const anon = await api('GET', '/store/v1/home/campaign');
    expect(anon.status).toBe(200);
    expect(Math.abs(Date.parse(anon.body.serverTime) - Date.now())).toBeLessThan(10_000);
    expect(anon.body.campaign).toEqual({
      id: everyone.body.id,
      name: '全场',
      description: '全场满减',
      startsAt: everyone.body.startsAt,
      endsAt: everyone.body.endsAt,
      banners: [banner()],
      popup: banner(5),
      couponTemplateIds: [templateId],
      lotteryIds: [lotteryId],
      flashSaleIds: [upcomingSale],
    });

    const fresh = await api('GET', '/store/v1/home/campaign', { token: await shopperToken('home-new-user') });
    expect(fresh.body.campaign).toMatchObject({
      id: newcomers.body.id,
      name: '新人专享',
      couponTemplateIds: [],
      lotteryIds: [],
      flashSaleIds: [],
    });

    const oldToken = await shopperToken('home-old-user');
    const me = await api('GET', '/store/v1/me', { token: oldToken });
    expect(me.status).toBe(200);
    await env.DB.prepare('UPDATE users SET created_at = ? WHERE id = ?')
      .bind(Date.now() - 30 * DAY, me.body.id)
      .run();
    const old = await api('GET', '/store/v1/home/campaign', { token: oldToken });
    expect(old.body.campaign.id).toBe(everyone.body.id);

    expect((await api('GET', '/store/v1/home/campaign', { token: 'not-a-token' })).status).toBe(401);
  });
});

describe('OpenAPI', () => {
  it('documents the promotion rule, campaign and stacking policy routes', async () => {
    const doc = await api('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    const ops = Object.values(doc.body.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((p) =>
      Object.values(p).map((o) => o.operationId),
    );
    for (const id of [
      'createPromotionRule',
      'listPromotionRules',
      'getPromotionRule',
      'updatePromotionRule',
      'getStackingPolicy',
      'updateStackingPolicy',
      'createCampaign',
      'listCampaigns',
      'getCampaign',
      'updateCampaign',
      'getHomeCampaign',
      'getStorefrontStackingPolicy',
    ])
      expect(ops).toContain(id);
    expect(doc.body.components.schemas.CreatePromotionRuleInput).toBeDefined();
  });
});
