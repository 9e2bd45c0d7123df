import { describe, expect, it } from 'vitest';
import { api, adminToken, env, staffToken } from '../../../test/helpers';
import { systemCtx } from '../../../test/ctx';
import { makeCategoryTree, makeProduct } from '../../../test/catalog';
import { takeDownOverdueProducts } from '../../flows/correction-deadlines';
import { runScheduled } from '../../scheduled';

async function merchant(id: string) {
  await env.DB.prepare('INSERT OR IGNORE INTO merchants (id, name, status, commission_bps, created_at) VALUES (?, ?, ?, 500, 0)')
    .bind(id, id, 'active')
    .run();
  return staffToken('merchant', id);
}

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

/** A merchant with two on-sale products (listed by an operator): one carries a review-level term. */
async function setup(merchantId: string) {
  const admin = await adminToken();
  const { l3 } = await makeCategoryTree(admin);
  const merchantToken = await merchant(merchantId);
  const operator = await staffToken('operator');
  const bad = await makeProduct(operator, l3, { merchantId, subtitle: '本店独家定制款' });
  const good = await makeProduct(operator, l3, { merchantId, title: '双层玻璃杯 办公室' });
  return { admin, operator, merchantToken, bad, good, l3 };
}

async function spotCheckWithNotice(s: Awaited<ReturnType<typeof setup>>, deadlineAt = inDays(2)) {
  const sc = await api('POST', '/admin/v1/spot-checks', {
    token: s.operator,
    body: { merchantId: s.bad.merchantId, productIds: [s.bad.id, s.good.id] },
  });
  expect(sc.status).toBe(201);
  const item = sc.body.items.find((i: any) => i.productId === s.bad.id);
  const notice = await api('POST', `/admin/v1/spot-checks/${sc.body.id}/items/${item.id}/notices`, {
    token: s.operator,
    body: { reason: '副标题含"独家"，请提供授权证明或删除', deadlineAt },
  });
  expect(notice.status).toBe(201);
  return { sc: sc.body, item, notice: notice.body };
}

describe('spot checks (抽查) and correction notices (整改通知)', () => {
  it('checks each sampled product automatically (screening + required facts); a retry with the same key samples once', async () => {
    const s = await setup('mch_sc_check');
    const headers = { 'idempotency-key': `spot-${crypto.randomUUID()}` };
    const body = { merchantId: 'mch_sc_check', productIds: [s.bad.id, s.good.id], note: '月度抽查' };
    const first = await api('POST', '/admin/v1/spot-checks', { token: s.operator, body, headers });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ merchantId: 'mch_sc_check', mode: 'chosen', note: '月度抽查' });
    const bad = first.body.items.find((i: any) => i.productId === s.bad.id);
    expect(bad).toMatchObject({ verdict: 'review', passes: false, missingFacts: [], notice: null });
    expect(bad.matches).toMatchObject([{ field: 'subtitle', term: '独家', start: 2, end: 4 }]);
    expect(first.body.items.find((i: any) => i.productId === s.good.id)).toMatchObject({ verdict: 'pass', passes: true });
    const again = await api('POST', '/admin/v1/spot-checks', { token: s.operator, body, headers });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);

    // Required facts are checked too: the category starts requiring 保质期 after the products were listed.
    await api('PUT', `/admin/v1/categories/${s.l3}/required-facts`, {
      token: s.admin,
      body: { requiredFacts: ['材质', '产地', '保质期'] },
    });
    const random = await api('POST', '/admin/v1/spot-checks', { token: s.operator, body: { merchantId: 'mch_sc_check', sampleSize: 10 } });
    expect(random.status).toBe(201);
    expect(random.body.mode).toBe('random');
    expect(random.body.items).toHaveLength(2);
    expect(random.body.items.every((i: any) => i.missingFacts.includes('保质期') && !i.passes)).toBe(true);

    const list = await api('GET', '/admin/v1/spot-checks?merchantId=mch_sc_check', { token: s.operator });
    expect(list.body.items[0]).toMatchObject({ id: random.body.id, itemCount: 2, failingCount: 2, openNoticeCount: 0 });
  });

  it('lifecycle: notice → merchant fixes and marks corrected (re-checked) → operator reopens → corrected → accepted; audited', async () => {
    const s = await setup('mch_sc_life');
    const { sc, item, notice } = await spotCheckWithNotice(s);
    expect(notice).toMatchObject({ status: 'open', productId: s.bad.id, merchantId: 'mch_sc_life', overdue: false });
    // Issuing again is a retry: the same notice.
    const repeat = await api('POST', `/admin/v1/spot-checks/${sc.id}/items/${item.id}/notices`, {
      token: s.operator,
      body: { reason: 'again', deadlineAt: inDays(3) },
    });
    expect(repeat.status).toBe(200);
    expect(repeat.body.id).toBe(notice.id);

    const mine = await api('GET', '/admin/v1/correction-notices?status=open', { token: s.merchantToken });
    expect(mine.body.items.map((n: any) => n.id)).toEqual([notice.id]);

    // Not fixed yet: the re-check refuses, naming the term.
    const early = await api('POST', `/admin/v1/correction-notices/${notice.id}/corrected`, { token: s.merchantToken, body: {} });
    expect(early.status).toBe(400);
    expect(early.body.error.code).toBe('compliance.still_failing');
    expect(early.body.error.details.matches[0]).toMatchObject({ term: '独家', field: 'subtitle' });

    const fix = await api('PATCH', `/admin/v1/products/${s.bad.id}`, { token: s.merchantToken, body: { subtitle: '本店定制款' } });
    expect(fix.status).toBe(200);
    const done = await api('POST', `/admin/v1/correction-notices/${notice.id}/corrected`, {
      token: s.merchantToken,
      body: { note: '已删除"独家"' },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'corrected', correctionNote: '已删除"独家"' });
    const twice = await api('POST', `/admin/v1/correction-notices/${notice.id}/corrected`, { token: s.merchantToken, body: {} });
    expect(twice.body.status).toBe('corrected');

    const reopened = await api('POST', `/admin/v1/correction-notices/${notice.id}/reopen`, {
      token: s.operator,
      body: { reason: '详情页仍有夸大描述', deadlineAt: inDays(5) },
    });
    expect(reopened.body).toMatchObject({ status: 'open', reopenCount: 1, reason: '详情页仍有夸大描述' });
    await api('POST', `/admin/v1/correction-notices/${notice.id}/corrected`, { token: s.merchantToken, body: {} });
    const accepted = await api('POST', `/admin/v1/correction-notices/${notice.id}/accept`, { token: s.operator });
    expect(accepted.body.status).toBe('accepted');
    expect((await api('POST', `/admin/v1/correction-notices/${notice.id}/accept`, { token: s.operator })).body.status).toBe('accepted');
    // Accepted is final: reopening is a conflict.
    const late = await api('POST', `/admin/v1/correction-notices/${notice.id}/reopen`, {
      token: s.operator,
      body: { reason: '再次检查', deadlineAt: inDays(5) },
    });
    expect(late.status).toBe(409);

    const audit = await api('GET', '/admin/v1/audit-log?action=issueCorrectionNotice', { token: s.admin });
    expect(audit.body.items.some((e: any) => e.targetId === notice.id || e.after?.id === notice.id)).toBe(true);
    const audit2 = await api('GET', '/admin/v1/audit-log?action=acceptCorrection', { token: s.admin });
    expect(audit2.body.items.length).toBeGreaterThan(0);
  });

  it('a burst of issues for one product leaves one notice; a burst of accepts makes one transition', async () => {
    const s = await setup('mch_sc_burst');
    const sc = await api('POST', '/admin/v1/spot-checks', {
      token: s.operator,
      body: { merchantId: 'mch_sc_burst', productIds: [s.good.id] },
    });
    const item = sc.body.items[0];
    const issues = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        api('POST', `/admin/v1/spot-checks/${sc.body.id}/items/${item.id}/notices`, {
          token: s.operator,
          body: { reason: `第${i}次下发`, deadlineAt: inDays(2) },
        }),
      ),
    );
    expect(issues.filter((r) => r.status === 201)).toHaveLength(1);
    expect(issues.every((r) => r.status === 201 || r.status === 200)).toBe(true);
    expect(new Set(issues.map((r) => r.body.id)).size).toBe(1);
    const rows = await env.DB.prepare('SELECT COUNT(*) AS n FROM correction_notices WHERE product_id = ?')
      .bind(s.good.id)
      .first<{ n: number }>();
    expect(rows!.n).toBe(1);

    const id = issues[0]!.body.id;
    await api('POST', `/admin/v1/correction-notices/${id}/corrected`, { token: s.merchantToken, body: {} });
    const accepts = await Promise.all(
      Array.from({ length: 5 }, () => api('POST', `/admin/v1/correction-notices/${id}/accept`, { token: s.operator })),
    );
    expect(accepts.every((r) => r.status === 200 && r.body.status === 'accepted')).toBe(true);
    const n = await env.DB.prepare('SELECT accepted_at, updated_at FROM correction_notices WHERE id = ?')
      .bind(id)
      .first<{ accepted_at: number }>();
    expect(n!.accepted_at).toBeGreaterThan(0);
  });

  it("a merchant cannot see or resolve another merchant's notices", async () => {
    const s = await setup('mch_sc_owner');
    const { notice } = await spotCheckWithNotice(s);
    const other = await merchant('mch_sc_other');
    expect((await api('GET', '/admin/v1/correction-notices', { token: other })).body.items).toEqual([]);
    // asking for another merchant's list by query is ignored: a merchant always gets its own
    expect((await api('GET', '/admin/v1/correction-notices?merchantId=mch_sc_owner', { token: other })).body.items).toEqual([]);
    expect((await api('GET', `/admin/v1/correction-notices/${notice.id}`, { token: other })).status).toBe(404);
    expect((await api('POST', `/admin/v1/correction-notices/${notice.id}/corrected`, { token: other, body: {} })).status).toBe(404);
    // merchants do not accept or reopen, even their own
    expect((await api('POST', `/admin/v1/correction-notices/${notice.id}/accept`, { token: s.merchantToken })).status).toBe(403);
  });

  it('a lower role cannot create spot checks or issue notices', async () => {
    const s = await setup('mch_sc_roles');
    const body = { merchantId: 'mch_sc_roles', sampleSize: 1 };
    expect((await api('POST', '/admin/v1/spot-checks', { token: s.merchantToken, body })).status).toBe(403);
    expect((await api('POST', '/admin/v1/spot-checks', { token: await staffToken('support'), body })).status).toBe(403);
    expect((await api('GET', '/admin/v1/spot-checks', { token: s.merchantToken })).status).toBe(403);
    const { sc, item } = await spotCheckWithNotice(s);
    const r = await api('POST', `/admin/v1/spot-checks/${sc.id}/items/${item.id}/notices`, {
      token: s.merchantToken,
      body: { reason: '自己发', deadlineAt: inDays(1) },
    });
    expect(r.status).toBe(403);
  });

  it('bad input is a 400 naming the field', async () => {
    const s = await setup('mch_sc_bad');
    const neither = await api('POST', '/admin/v1/spot-checks', { token: s.operator, body: { merchantId: 'mch_sc_bad' } });
    expect(neither.status).toBe(400);
    expect(neither.body.error.code).toBe('validation.failed');
    const tooMany = await api('POST', '/admin/v1/spot-checks', { token: s.operator, body: { merchantId: 'mch_sc_bad', sampleSize: 51 } });
    expect(tooMany.status).toBe(400);
    const foreign = await makeProduct(s.operator, s.l3);
    const notTheirs = await api('POST', '/admin/v1/spot-checks', {
      token: s.operator,
      body: { merchantId: 'mch_sc_bad', productIds: [foreign.id] },
    });
    expect(notTheirs.status).toBe(400);
    expect(notTheirs.body.error.code).toBe('catalog.not_merchant_products');
    const unknown = await api('POST', '/admin/v1/spot-checks', { token: s.operator, body: { merchantId: 'mch_nobody1', sampleSize: 1 } });
    expect(unknown.status).toBe(404);

    const sc = await api('POST', '/admin/v1/spot-checks', {
      token: s.operator,
      body: { merchantId: 'mch_sc_bad', productIds: [s.bad.id] },
    });
    const item = sc.body.items[0];
    const past = await api('POST', `/admin/v1/spot-checks/${sc.body.id}/items/${item.id}/notices`, {
      token: s.operator,
      body: { reason: '过期的期限', deadlineAt: inDays(-1) },
    });
    expect(past.status).toBe(400);
    expect(past.body.error.details.issues[0].path).toBe('deadlineAt');
    const noReason = await api('POST', `/admin/v1/spot-checks/${sc.body.id}/items/${item.id}/notices`, {
      token: s.operator,
      body: { deadlineAt: inDays(1) },
    });
    expect(noReason.status).toBe(400);
    const noTable = await env.DB.prepare('SELECT COUNT(*) AS n FROM correction_notices WHERE product_id = ?')
      .bind(s.bad.id)
      .first<{ n: number }>();
    expect(noTable!.n).toBe(0);
  });
});

describe('deadline cron (限期整改)', () => {
  it('takes the product off sale exactly once, under repeated and concurrent runs, and the merchant sees why', async () => {
    const s = await setup('mch_sc_cron');
    const { notice } = await spotCheckWithNotice(s, inDays(1));
    const deadline = Date.parse(notice.deadlineAt);
    const before = (await api('GET', `/admin/v1/products/${s.bad.id}`, { token: s.operator })).body;
    expect(before.status).toBe('on_sale');

    // Before the deadline nothing happens.
    expect(await takeDownOverdueProducts(systemCtx(deadline - 1000))).toEqual({ takenDown: 0, skipped: 0 });

    const at = deadline + 1000;
    const first = await takeDownOverdueProducts(systemCtx(at));
    const second = await takeDownOverdueProducts(systemCtx(at + 60_000));
    const burst = await Promise.all([
      ...Array.from({ length: 6 }, () => takeDownOverdueProducts(systemCtx(at + 120_000))),
      runScheduled(at + 120_000, env),
    ]);
    const total = first.takenDown + second.takenDown + burst.slice(0, 6).reduce((n, r) => n + (r as { takenDown: number }).takenDown, 0);
    expect(first.takenDown).toBe(1);
    expect(total).toBe(1);

    const after = (await api('GET', `/admin/v1/products/${s.bad.id}`, { token: s.merchantToken })).body;
    expect(after.status).toBe('off_sale');
    expect(after.version).toBe(before.version + 1); // one write, however many runs
    expect(after.offSaleReason).toContain('独家');
    expect((await api('GET', `/store/v1/products/${s.bad.id}`)).status).toBe(404);
    const n = (await api('GET', `/admin/v1/correction-notices/${notice.id}`, { token: s.merchantToken })).body;
    expect(n).toMatchObject({ status: 'taken_down', takedownReason: after.offSaleReason });
    expect(n.takenDownAt).toBe(new Date(at).toISOString());
    // The other product of the spot check is untouched.
    expect((await api('GET', `/admin/v1/products/${s.good.id}`, { token: s.operator })).body.status).toBe('on_sale');

    // After the takedown the merchant can still fix it and mark it corrected; relisting goes through review.
    await api('PATCH', `/admin/v1/products/${s.bad.id}`, { token: s.merchantToken, body: { subtitle: '本店定制款' } });
    const corrected = await api('POST', `/admin/v1/correction-notices/${notice.id}/corrected`, { token: s.merchantToken, body: {} });
    expect(corrected.body.status).toBe('corrected');
    const relist = await api('PATCH', `/admin/v1/products/${s.bad.id}`, { token: s.merchantToken, body: { status: 'on_sale' } });
    expect(relist.body).toMatchObject({ status: 'pending_review', offSaleReason: null });
  });

  it('a notice corrected before its deadline is not taken down', async () => {
    const s = await setup('mch_sc_ontime');
    const { notice } = await spotCheckWithNotice(s, inDays(1));
    await api('PATCH', `/admin/v1/products/${s.bad.id}`, { token: s.merchantToken, body: { subtitle: '本店定制款' } });
    await api('POST', `/admin/v1/correction-notices/${notice.id}/corrected`, { token: s.merchantToken, body: {} });
    const r = await takeDownOverdueProducts(systemCtx(Date.parse(notice.deadlineAt) + 1000));
    expect(r.takenDown).toBe(0);
    expect((await api('GET', `/admin/v1/correction-notices/${notice.id}`, { token: s.operator })).body.status).toBe('corrected');
  });
});
