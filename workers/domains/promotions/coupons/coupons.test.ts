import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, api, env, shopperToken, staffToken } from '../../../../test/helpers';

const MIN = 60_000;
const DAY = 86_400_000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();
const uid = () => crypto.randomUUID().slice(0, 8);
/** A unique 4–32 char redemption code. */
const newCode = () => `T${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`;

const tplBody = (over: Record<string, unknown> = {}) => ({
  name: `测试券 ${uid()}`,
  kind: 'amount_off',
  threshold: 19900,
  amountOff: 3000,
  validDays: 7,
  totalQuantity: 100,
  channels: ['storefront'],
  ...over,
});
const createTpl = (token: string, body: unknown) => api('POST', '/admin/v1/coupon-templates', { token, body });
const claim = (token: string, body: unknown, key?: string) =>
  api('POST', '/store/v1/coupons/claim', { token, body, headers: key ? { 'idempotency-key': key } : {} });
const myCoupons = (token: string, query = '') => api('GET', `/store/v1/me/coupons${query}`, { token });

async function login(code = `cpn-${uid()}`) {
  const r = await api('POST', '/store/v1/auth/wx-login', { body: { code } });
  if (r.status !== 200) throw new Error(JSON.stringify(r.body));
  return { token: r.body.accessToken as string, userId: r.body.user.id as string, code };
}

async function template(over: Record<string, unknown> = {}) {
  const r = await createTpl(admin, tplBody(over));
  if (r.status !== 201) throw new Error(`create template failed: ${JSON.stringify(r.body)}`);
  return r.body;
}

async function campaign(budget: number) {
  const id = `cmp_${uid()}${uid()}`;
  await env.DB.prepare(
    "INSERT INTO campaigns (id, name, starts_at, ends_at, segment, budget, created_by, created_at) VALUES (?1, '测试活动', ?2, ?3, '{\"kind\":\"all\"}', ?4, 'test', ?2)",
  )
    .bind(id, Date.now() - DAY, Date.now() + 30 * DAY, budget)
    .run();
  return id;
}

const issuedCount = async (templateId: string) =>
  (await env.DB.prepare('SELECT issued_count AS n FROM coupon_templates WHERE id = ?').bind(templateId).first<{ n: number }>())!.n;

let admin: string;
beforeAll(async () => {
  admin = await adminToken();
});

describe('createCouponTemplate', () => {
  it('creates platform coupons of each kind with their labels and counts', async () => {
    const full = await template({ threshold: 19900, amountOff: 3000 });
    expect(full).toMatchObject({
      label: '满199减30',
      kind: 'amount_off',
      merchantId: 'mch_platform',
      isPlatform: true,
      issuedCount: 0,
      usedCount: 0,
      remaining: 100,
      perUserLimit: 1,
      status: 'active',
      validDays: 7,
    });
    expect(full.id).toMatch(/^cpt_/);
    expect(Date.parse(full.claimEndsAt) - Date.now()).toBeGreaterThan(29 * DAY);
    expect((await template({ threshold: 0, amountOff: 500 })).label).toBe('无门槛减5元');
    expect((await template({ kind: 'percent_off', amountOff: undefined, threshold: 0, rate: 85, maxOff: 2000 })).label).toBe(
      '8.5折 最高减20元',
    );
    expect((await template({ kind: 'percent_off', amountOff: undefined, threshold: 10000, rate: 90 })).label).toBe('满100打9折');
    expect((await template({ kind: 'free_shipping', amountOff: undefined, threshold: 0 })).label).toBe('免运费');
    const fixed = await template({ validDays: undefined, validFrom: at(-MIN), validTo: at(10 * DAY), threshold: 9950, amountOff: 1050 });
    expect(fixed).toMatchObject({ label: '满99.5减10.5', validDays: null });
    // the claim window defaults to the validity's end
    expect(fixed.claimEndsAt).toBe(fixed.validTo);

    const got = await api('GET', `/admin/v1/coupon-templates/${full.id}`, { token: admin });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(full);
  });

  it('refuses bad combinations with field paths', async () => {
    const bad = async (over: Record<string, unknown>, path: string) => {
      const r = await createTpl(admin, tplBody(over));
      expect(r.status, JSON.stringify(over)).toBe(400);
      expect(r.body.error.code).toBe('validation.failed');
      expect(r.body.error.details.issues.map((i: any) => i.path)).toContain(path);
    };
    await bad({ threshold: 500, amountOff: 500 }, 'amountOff'); // 满5减5: free goods
    await bad({ amountOff: undefined }, 'amountOff');
    await bad({ amountOff: 0 }, 'amountOff');
    await bad({ kind: 'percent_off', amountOff: undefined }, 'rate');
    await bad({ kind: 'percent_off', amountOff: undefined, rate: 100 }, 'rate');
    await bad({ kind: 'percent_off', rate: 80 }, 'amountOff');
    await bad({ kind: 'free_shipping', amountOff: undefined, maxOff: 100 }, 'maxOff');
    await bad({ validFrom: at(0), validTo: at(DAY) }, 'validDays'); // both kinds of validity
    await bad({ validDays: undefined }, 'validDays'); // neither
    await bad({ validDays: undefined, validFrom: at(0) }, 'validTo');
    await bad({ validDays: undefined, validFrom: at(DAY), validTo: at(0) }, 'validTo');
    await bad({ validDays: 366 }, 'validDays');
    await bad({ totalQuantity: 0 }, 'totalQuantity');
    await bad({ totalQuantity: 10_000_001 }, 'totalQuantity');
    await bad({ perUserLimit: 101 }, 'perUserLimit');
    await bad({ channels: [] }, 'channels');
    await bad({ channels: ['storefront', 'storefront'] }, 'channels');
    await bad({ channels: ['mail'] }, 'channels.0');
    await bad({ channels: ['code'] }, 'code');
    await bad({ channels: ['storefront'], code: 'ABCD1234' }, 'code');
    await bad({ channels: ['code'], code: 'ab-12' }, 'code');
    await bad({ packOrder: 1 }, 'packOrder');
    await bad({ scope: { type: 'products', ids: [] } }, 'scope.ids');
    await bad({ scope: { type: 'brands', ids: ['x'] } }, 'scope.type');
    await bad({ claimStartsAt: at(DAY), claimEndsAt: at(0) }, 'claimEndsAt');
    await bad({ validDays: undefined, validFrom: at(0), validTo: at(DAY), claimEndsAt: at(2 * DAY) }, 'claimEndsAt');
    await bad({ threshold: 1.5 }, 'threshold');

    const past = await createTpl(admin, tplBody({ validDays: undefined, validFrom: at(-2 * DAY), validTo: at(-DAY) }));
    expect(past.status).toBe(400);
    expect(past.body.error.code).toBe('promotions.invalid_window');
    const merchant = await createTpl(admin, tplBody({ merchantId: 'mch_nosuchshop' }));
    expect(merchant.status).toBe(404);
    expect(merchant.body.error.code).toBe('merchants.not_found');
    const camp = await createTpl(admin, tplBody({ campaignId: 'cmp_nosuchcampaign' }));
    expect(camp.status).toBe(404);
    expect(camp.body.error.code).toBe('promotions.campaign_not_found');
  });

  it('makes shop coupons for an existing merchant', async () => {
    const mch = `mch_${uid()}`;
    await env.DB.prepare("INSERT INTO merchants (id, name, status, commission_bps, created_at) VALUES (?, '山川旗舰店', 'active', 500, ?)")
      .bind(mch, Date.now())
      .run();
    const t = await template({ merchantId: mch, scope: { type: 'products', ids: ['prd_abcdefgh'] } });
    expect(t).toMatchObject({ merchantId: mch, isPlatform: false, scope: { type: 'products', ids: ['prd_abcdefgh'] } });
  });

  it('stores codes upper-case and refuses a taken code (any case) with 409', async () => {
    const code = newCode();
    const t = await template({ channels: ['code'], code: code.toLowerCase() });
    expect(t.code).toBe(code.toUpperCase());
    const again = await createTpl(admin, tplBody({ channels: ['code', 'storefront'], code }));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('promotions.code_taken');
  });

  it('is for staff with promotions.write: support 403, shopper 403, nobody 401, operator 201', async () => {
    const support = await createTpl(await staffToken('support'), tplBody());
    expect(support.status).toBe(403);
    expect(support.body.error.code).toBe('auth.forbidden');
    expect((await createTpl(await shopperToken(`cpn-shopper-${uid()}`), tplBody())).status).toBe(403);
    expect((await api('POST', '/admin/v1/coupon-templates', { body: tplBody() })).status).toBe(401);
    expect((await api('GET', '/admin/v1/coupon-templates', { token: await staffToken('support') })).status).toBe(403);
    const op = await createTpl(await staffToken('operator'), tplBody());
    expect(op.status).toBe(201);
  });
});

describe('updateCouponTemplate and listCouponTemplates', () => {
  it('changes only status and raises the total; the terms are fixed', async () => {
    const t = await template({ totalQuantity: 10 });
    const patch = (body: unknown) => api('PATCH', `/admin/v1/coupon-templates/${t.id}`, { token: admin, body });
    const raised = await patch({ totalQuantity: 20 });
    expect(raised.status).toBe(200);
    expect(raised.body).toMatchObject({ totalQuantity: 20, remaining: 20 });
    const lowered = await patch({ totalQuantity: 5 });
    expect(lowered.status).toBe(400);
    expect(lowered.body.error.code).toBe('promotions.quantity_lowered');
    const terms = await patch({ amountOff: 100 });
    expect(terms.status).toBe(400);
    expect(terms.body.error.code).toBe('validation.failed');
    expect(terms.body.error.message).toContain('terms are fixed');
    expect((await patch({})).status).toBe(400);
    expect((await patch({ status: 'disabled' })).body.status).toBe('disabled');
    expect((await api('PATCH', '/admin/v1/coupon-templates/cpt_nosuchtemplate', { token: admin, body: { status: 'active' } })).status).toBe(
      404,
    );
  });

  it('lists newest first with status and channel filters and a cursor', async () => {
    const a = await template({ channels: ['lottery'] });
    const b = await template({ channels: ['lottery', 'storefront'] });
    const c = await template({ channels: ['lottery'] });
    await api('PATCH', `/admin/v1/coupon-templates/${c.id}`, { token: admin, body: { status: 'disabled' } });
    const lottery = await api('GET', '/admin/v1/coupon-templates?channel=lottery&status=active&limit=1', { token: admin });
    expect(lottery.status).toBe(200);
    expect(lottery.body.items.map((t: any) => t.id)).toEqual([b.id]);
    const next = await api('GET', `/admin/v1/coupon-templates?channel=lottery&status=active&limit=1&cursor=${lottery.body.nextCursor}`, {
      token: admin,
    });
    expect(next.body.items.map((t: any) => t.id)).toEqual([a.id]);
    const disabled = await api('GET', '/admin/v1/coupon-templates?status=disabled&channel=lottery', { token: admin });
    expect(disabled.body.items.map((t: any) => t.id)).toContain(c.id);
    expect((await api('GET', '/admin/v1/coupon-templates?channel=mail', { token: admin })).status).toBe(400);
  });
});

describe('claimCoupon and listMyCoupons', () => {
  it('claims from the coupon centre, lists it as mine and refuses a second over the limit', async () => {
    const t = await template({ threshold: 9900, amountOff: 1000, validDays: 3 });
    const me = await login();
    const before = await api('GET', '/store/v1/coupons', { token: me.token });
    expect(before.status).toBe(200);
    expect(before.body.items.find((i: any) => i.templateId === t.id)).toMatchObject({
      label: '满99减10',
      claimedByMe: 0,
      canClaim: true,
      remaining: 100,
    });
    const anon = await api('GET', '/store/v1/coupons');
    expect(anon.body.items.find((i: any) => i.templateId === t.id)).toMatchObject({ claimedByMe: null, canClaim: null });
    expect(anon.body.items.find((i: any) => i.templateId === t.id).code).toBeUndefined();

    const r = await claim(me.token, { templateId: t.id });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      templateId: t.id,
      label: '满99减10',
      kind: 'amount_off',
      threshold: 9900,
      amountOff: 1000,
      status: 'available',
      channel: 'storefront',
      usedAt: null,
      orderId: null,
      isPlatform: true,
    });
    expect(Date.parse(r.body.validTo) - Date.parse(r.body.validFrom)).toBe(3 * DAY);

    const mine = await myCoupons(me.token);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((c: any) => c.id)).toContain(r.body.id);
    const after = await api('GET', '/store/v1/coupons', { token: me.token });
    expect(after.body.items.find((i: any) => i.templateId === t.id)).toMatchObject({ claimedByMe: 1, canClaim: false, remaining: 99 });

    const second = await claim(me.token, { templateId: t.id });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('promotions.claim_limit');
    expect(await issuedCount(t.id)).toBe(1);

    expect((await claim(me.token, { templateId: 'cpt_nosuchtemplate' })).body.error.code).toBe('promotions.coupon_not_found');
    expect((await claim(me.token, {})).status).toBe(400);
    expect((await claim(me.token, { templateId: t.id, code: 'ABCD1234' })).status).toBe(400);
    expect((await api('POST', '/store/v1/coupons/claim', { body: { templateId: t.id } })).status).toBe(401);
  });

  it('sorts available coupons by expiry, and shows used and expired ones under their status', async () => {
    const me = await login();
    const long = await template({ validDays: 30, perUserLimit: 3 });
    const short = await template({ validDays: 2 });
    const c1 = (await claim(me.token, { templateId: long.id })).body;
    const c2 = (await claim(me.token, { templateId: short.id })).body;
    const c3 = (await claim(me.token, { templateId: long.id })).body;
    const avail = await myCoupons(me.token);
    const ids = avail.body.items.map((c: any) => c.id);
    expect(ids.indexOf(c2.id)).toBeLessThan(ids.indexOf(c1.id));
    const page1 = await myCoupons(me.token, '?limit=1');
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.nextCursor).toBeTruthy();

    await env.DB.prepare('UPDATE user_coupons SET valid_from = ?2, valid_to = ?3 WHERE id = ?1')
      .bind(c1.id, Date.now() - 2 * DAY, Date.now() - DAY)
      .run();
    await env.DB.prepare("UPDATE user_coupons SET status = 'used', used_at = ?2, order_id = 'ord_test0001' WHERE id = ?1")
      .bind(c3.id, Date.now())
      .run();
    const expired = await myCoupons(me.token, '?status=expired');
    expect(expired.body.items.map((c: any) => [c.id, c.status])).toEqual([[c1.id, 'expired']]);
    const used = await myCoupons(me.token, '?status=used');
    expect(used.body.items).toHaveLength(1);
    expect(used.body.items[0]).toMatchObject({ id: c3.id, status: 'used', orderId: 'ord_test0001' });
    expect(used.body.items[0].usedAt).toBeTruthy();
    const still = (await myCoupons(me.token)).body.items.map((c: any) => c.id);
    expect(still).not.toContain(c1.id);
    expect(still).not.toContain(c3.id);
    expect(still).toContain(c2.id);
    expect((await myCoupons(me.token, '?status=gone')).status).toBe(400);
  });

  it('shows a shopper only their own coupons', async () => {
    const t = await template();
    const a = await login();
    const b = await login();
    const ca = (await claim(a.token, { templateId: t.id })).body;
    const bList = await myCoupons(b.token);
    expect(bList.status).toBe(200);
    expect(bList.body.items.map((c: any) => c.id)).not.toContain(ca.id);
    for (const status of ['available', 'used', 'expired']) {
      const r = await myCoupons(b.token, `?status=${status}`);
      expect(r.body.items.every((c: any) => c.id !== ca.id)).toBe(true);
    }
    expect((await myCoupons('')).status).toBe(401);
    expect((await myCoupons(admin)).status).toBe(403);
  });

  it('claims by code (any case); an id claim of a code-only coupon is 400; an unknown code is 404', async () => {
    const code = newCode();
    const t = await template({ channels: ['code'], code, threshold: 0, amountOff: 800 });
    const me = await login();
    const byId = await claim(me.token, { templateId: t.id });
    expect(byId.status).toBe(400);
    expect(byId.body.error.code).toBe('promotions.wrong_channel');
    const r = await claim(me.token, { code: code.toLowerCase() });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ templateId: t.id, channel: 'code', label: '无门槛减8元' });
    expect((await claim(me.token, { code: 'NOSUCHCODE99' })).body.error.code).toBe('promotions.coupon_not_found');
    // a code template is not in the coupon centre
    expect((await api('GET', '/store/v1/coupons')).body.items.some((i: any) => i.templateId === t.id)).toBe(false);
    // coupons given out in other ways (here: lottery prizes) cannot be claimed by id either
    const pack = await template({ channels: ['lottery'] });
    expect((await claim(me.token, { templateId: pack.id })).body.error.code).toBe('promotions.wrong_channel');
  });

  it('refuses claims outside the claim window or when disabled (409 promotions.claim_not_open)', async () => {
    const me = await login();
    const later = await template({ claimStartsAt: at(DAY) });
    const r = await claim(me.token, { templateId: later.id });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('promotions.claim_not_open');
    expect((await api('GET', '/store/v1/coupons')).body.items.some((i: any) => i.templateId === later.id)).toBe(false);

    const ended = await template({ claimStartsAt: at(-2 * DAY), claimEndsAt: at(2 * DAY) });
    await env.DB.prepare('UPDATE coupon_templates SET claim_ends_at = ?2 WHERE id = ?1')
      .bind(ended.id, Date.now() - MIN)
      .run();
    expect((await claim(me.token, { templateId: ended.id })).body.error.code).toBe('promotions.claim_not_open');

    const off = await template();
    await api('PATCH', `/admin/v1/coupon-templates/${off.id}`, { token: admin, body: { status: 'disabled' } });
    expect((await claim(me.token, { templateId: off.id })).body.error.code).toBe('promotions.claim_not_open');
    expect(await issuedCount(off.id)).toBe(0);
  });

  it('says coupons_gone when sold out and campaign_budget_exhausted when the budget is spent', async () => {
    const t = await template({ totalQuantity: 1 });
    const a = await login();
    const b = await login();
    expect((await claim(a.token, { templateId: t.id })).status).toBe(201);
    const gone = await claim(b.token, { templateId: t.id });
    expect(gone.status).toBe(409);
    expect(gone.body.error.code).toBe('promotions.coupons_gone');
    expect((await api('GET', '/store/v1/coupons')).body.items.some((i: any) => i.templateId === t.id)).toBe(false);

    const cmp = await campaign(1000);
    const ct = await template({ threshold: 0, amountOff: 600, campaignId: cmp });
    expect((await claim(a.token, { templateId: ct.id })).status).toBe(201);
    const over = await claim(b.token, { templateId: ct.id });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('promotions.campaign_budget_exhausted');
    const used = await env.DB.prepare('SELECT budget_used AS n FROM campaigns WHERE id = ?').bind(cmp).first<{ n: number }>();
    expect(used!.n).toBe(600);
    expect(await issuedCount(ct.id)).toBe(1);
  });

  it('never over-issues: 20 shoppers × 3 parallel claims of 25 coupons', async () => {
    const t = await template({ totalQuantity: 25, perUserLimit: 2 });
    const shoppers = await Promise.all(Array.from({ length: 20 }, () => login()));
    const results = await Promise.all(shoppers.flatMap((s) => [0, 1, 2].map(() => claim(s.token, { templateId: t.id }))));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(25);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    for (const r of results.filter((x) => x.status === 409))
      expect(['promotions.coupons_gone', 'promotions.claim_limit']).toContain(r.body.error.code);
    expect(await issuedCount(t.id)).toBe(25);
    const rows = await env.DB.prepare('SELECT user_id, count(*) AS n FROM user_coupons WHERE template_id = ? GROUP BY user_id')
      .bind(t.id)
      .all<{ user_id: string; n: number }>();
    expect(rows.results.reduce((a, r) => a + r.n, 0)).toBe(25);
    expect(Math.max(...rows.results.map((r) => r.n))).toBeLessThanOrEqual(2);
  });

  it('returns the same coupon for a repeated Idempotency-Key (201, then 200), even in parallel', async () => {
    const t = await template({ perUserLimit: 5 });
    const me = await login();
    const key = `claim-${crypto.randomUUID()}`;
    const first = await claim(me.token, { templateId: t.id }, key);
    expect(first.status).toBe(201);
    const again = await claim(me.token, { templateId: t.id }, key);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);

    const key2 = `claim-${crypto.randomUUID()}`;
    const par = await Promise.all([0, 1, 2, 3].map(() => claim(me.token, { templateId: t.id }, key2)));
    expect(par.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(par.map((r) => r.body.id)).size).toBe(1);
    expect(await issuedCount(t.id)).toBe(2);

    const other = await template();
    const reused = await claim(me.token, { templateId: other.id }, key);
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('promotions.idempotency_key_reused');
    expect((await claim(me.token, { templateId: t.id }, 'short')).status).toBe(400);
  });
});

describe('issueCoupons (segment)', () => {
  const issue = (templateId: string, body: unknown) =>
    api('POST', `/admin/v1/coupon-templates/${templateId}/issue`, { token: admin, body });

  it('issues one coupon per shopper of a users segment; the same batchId repeated issues nothing more', async () => {
    const t = await template({ channels: ['segment'], totalQuantity: 10, perUserLimit: 2 });
    const [a, b, c] = await Promise.all([login(), login(), login()]);
    const segment = { kind: 'users', userIds: [a.userId, b.userId, c.userId, 'usr_doesnotexist00'] };
    const batchId = `batch-${uid()}`;
    const r = await issue(t.id, { segment, batchId });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      batchId,
      issued: 3,
      processed: 4,
      skipped: { already: 0, limit: 0, soldOut: 0, budget: 0, unknown: 1 },
      next: null,
    });
    const again = await issue(t.id, { segment, batchId });
    expect(again.body).toMatchObject({ issued: 0, skipped: { already: 3, unknown: 1 } });
    expect(await issuedCount(t.id)).toBe(3);
    const mine = await myCoupons(a.token);
    expect(mine.body.items.filter((x: any) => x.templateId === t.id)).toHaveLength(1);
    expect(mine.body.items.find((x: any) => x.templateId === t.id).channel).toBe('segment');

    // a new batch (id generated and returned) gives a second, up to the per-shopper limit of 2
    const second = await issue(t.id, { segment: { kind: 'users', userIds: [a.userId, b.userId] } });
    expect(second.body.issued).toBe(2);
    expect(second.body.batchId).toBeTruthy();
    expect(second.body.batchId).not.toBe(batchId);
    const third = await issue(t.id, { segment: { kind: 'users', userIds: [a.userId, b.userId, c.userId] } });
    expect(third.body).toMatchObject({ issued: 1, skipped: { limit: 2 } });
  });

  it('counts sold-out and over-budget shoppers as skipped without failing the others', async () => {
    const shoppers = await Promise.all(Array.from({ length: 4 }, () => login()));
    const ids = shoppers.map((s) => s.userId);
    const few = await template({ channels: ['campaign'], totalQuantity: 2 });
    const r = await issue(few.id, { segment: { kind: 'users', userIds: ids } });
    expect(r.body).toMatchObject({ issued: 2, skipped: { soldOut: 2 } });
    expect(await issuedCount(few.id)).toBe(2);

    const cmp = await campaign(1500);
    const budgeted = await template({ channels: ['segment'], threshold: 0, amountOff: 500, campaignId: cmp });
    const b = await issue(budgeted.id, { segment: { kind: 'users', userIds: ids } });
    expect(b.body).toMatchObject({ issued: 3, skipped: { budget: 1 } });
    expect(await issuedCount(budgeted.id)).toBe(3);
  });

  it('needs the segment or campaign channel, an active template and a valid segment', async () => {
    const store = await template();
    const r = await issue(store.id, { segment: { kind: 'all' } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('promotions.wrong_channel');
    const seg = await template({ channels: ['segment'] });
    expect((await issue(seg.id, { segment: { kind: 'vip' } })).status).toBe(400);
    expect((await issue(seg.id, { segment: { kind: 'users', userIds: [] } })).status).toBe(400);
    await api('PATCH', `/admin/v1/coupon-templates/${seg.id}`, { token: admin, body: { status: 'disabled' } });
    expect((await issue(seg.id, { segment: { kind: 'all' } })).body.error.code).toBe('promotions.template_disabled');
    const support = await api('POST', `/admin/v1/coupon-templates/${seg.id}/issue`, {
      token: await staffToken('support'),
      body: { segment: { kind: 'all' } },
    });
    expect(support.status).toBe(403);
  });
});

describe('new-user pack', () => {
  it('grants each tier once to a new shopper, even for concurrent logins, and never to old shoppers', async () => {
    // An old shopper, registered before the pack existed and more than 7 days ago.
    const old = await login();
    await env.DB.prepare('UPDATE users SET created_at = ?2 WHERE id = ?1')
      .bind(old.userId, Date.now() - 8 * DAY)
      .run();

    const t2 = await template({ channels: ['new_user_pack'], packOrder: 2, threshold: 9900, amountOff: 1000 });
    const t1 = await template({ channels: ['new_user_pack'], packOrder: 1, threshold: 0, amountOff: 300 });
    const scarce = await template({ channels: ['new_user_pack'], packOrder: 3, totalQuantity: 1, threshold: 19900, amountOff: 2000 });
    const tiers = [t1.id, t2.id, scarce.id];
    try {
      const code = `pack-${uid()}`;
      const logins = await Promise.all(Array.from({ length: 5 }, () => api('POST', '/store/v1/auth/wx-login', { body: { code } })));
      expect(logins.every((r) => r.status === 200)).toBe(true);
      const userId = logins[0]!.body.user.id as string;
      const held = await env.DB.prepare('SELECT template_id, count(*) AS n FROM user_coupons WHERE user_id = ? GROUP BY template_id')
        .bind(userId)
        .all<{ template_id: string; n: number }>();
      expect(Object.fromEntries(held.results.map((r) => [r.template_id, r.n]))).toEqual({ [t1.id]: 1, [t2.id]: 1, [scarce.id]: 1 });
      expect(await issuedCount(t1.id)).toBe(1);

      const pack = await api('GET', '/store/v1/coupons/new-user-pack', { token: logins[0]!.body.accessToken });
      expect(pack.status).toBe(200);
      expect(pack.body.eligible).toBe(true);
      expect(pack.body.tiers.filter((x: any) => tiers.includes(x.templateId)).map((x: any) => [x.templateId, x.held])).toEqual([
        [t1.id, true],
        [t2.id, true],
        [scarce.id, true],
      ]);
      const anon = await api('GET', '/store/v1/coupons/new-user-pack');
      expect(anon.body.eligible).toBeNull();
      expect(anon.body.tiers.find((x: any) => x.templateId === t1.id)).toMatchObject({ held: null, label: '无门槛减3元', packOrder: 1 });

      // a second new shopper: the scarce tier is gone, the others still come
      const next = await login();
      const nextHeld = (await myCoupons(next.token)).body.items.map((c: any) => c.templateId);
      expect(nextHeld).toEqual(expect.arrayContaining([t1.id, t2.id]));
      expect(nextHeld).not.toContain(scarce.id);
      // logging in again does not give a second set
      await login(next.code);
      const again = await env.DB.prepare('SELECT count(*) AS n FROM user_coupons WHERE user_id = ?')
        .bind(next.userId)
        .first<{ n: number }>();
      expect(again!.n).toBe(2);

      // a tier added later reaches a shopper still within 7 days at their next login
      const t4 = await template({ channels: ['new_user_pack'], packOrder: 4, threshold: 0, amountOff: 100 });
      tiers.push(t4.id);
      await login(next.code);
      expect((await myCoupons(next.token)).body.items.map((c: any) => c.templateId)).toContain(t4.id);

      // the old shopper gets nothing at login
      await login(old.code);
      const oldHeld = await env.DB.prepare('SELECT count(*) AS n FROM user_coupons WHERE user_id = ?')
        .bind(old.userId)
        .first<{ n: number }>();
      expect(oldHeld!.n).toBe(0);
      const oldPack = await api('GET', '/store/v1/coupons/new-user-pack', { token: old.token });
      expect(oldPack.body.eligible).toBe(false);
    } finally {
      // later tests' shoppers should not receive this pack
      for (const id of tiers) await api('PATCH', `/admin/v1/coupon-templates/${id}`, { token: admin, body: { status: 'disabled' } });
    }
  });

  it('is granted at H5 (SMS) login too', async () => {
    const t = await template({ channels: ['new_user_pack'], packOrder: 1, threshold: 0, amountOff: 200 });
    try {
      const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
      const sent = await api('POST', '/store/v1/auth/sms-code', { body: { phone } });
      expect(sent.status).toBe(200);
      const r = await api('POST', '/store/v1/auth/sms-login', { body: { phone, code: sent.body.sandboxCode } });
      expect(r.status).toBe(200);
      expect((await myCoupons(r.body.accessToken)).body.items.map((c: any) => [c.templateId, c.channel])).toEqual([
        [t.id, 'new_user_pack'],
      ]);
    } finally {
      await api('PATCH', `/admin/v1/coupon-templates/${t.id}`, { token: admin, body: { status: 'disabled' } });
    }
  });

  it('a tier that cannot be granted (sold out) does not fail the login', async () => {
    const t = await template({ channels: ['new_user_pack'], packOrder: 1, threshold: 0, amountOff: 100 });
    try {
      // Nothing left of the only tier: the grant fails in D1, the login still succeeds.
      await env.DB.prepare('UPDATE coupon_templates SET total_quantity = 1, issued_count = 1 WHERE id = ?').bind(t.id).run();
      const r = await api('POST', '/store/v1/auth/wx-login', { body: { code: `pack-fail-${uid()}` } });
      expect(r.status).toBe(200);
      expect((await myCoupons(r.body.accessToken)).body.items).toHaveLength(0);
    } finally {
      await api('PATCH', `/admin/v1/coupon-templates/${t.id}`, { token: admin, body: { status: 'disabled' } });
    }
  });
});

describe('OpenAPI', () => {
  it('documents the coupon routes by operationId', async () => {
    const r = await api('GET', '/openapi.json');
    expect(r.status).toBe(200);
    const ops = Object.values(r.body.paths as Record<string, Record<string, { operationId: string }>>).flatMap((p) =>
      Object.values(p).map((o) => o.operationId),
    );
    for (const id of [
      'createCouponTemplate',
      'listCouponTemplates',
      'getCouponTemplate',
      'updateCouponTemplate',
      'issueCoupons',
      'listClaimableCoupons',
      'claimCoupon',
      'listMyCoupons',
      'getNewUserPack',
    ])
      expect(ops).toContain(id);
  });
});
