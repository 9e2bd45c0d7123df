import { describe, expect, it } from 'vitest';
import { api, adminToken, env, staffToken } from '../../../test/helpers';
import { makeCategoryTree, makeProduct, productBody } from '../../../test/catalog';

async function merchant(id: string) {
  await env.DB.prepare('INSERT OR IGNORE INTO merchants (id, name, status, commission_bps, created_at) VALUES (?, ?, ?, 500, 0)')
    .bind(id, id, 'active')
    .run();
  return staffToken('merchant', id);
}

const count = async (title: string) =>
  (await env.DB.prepare('SELECT COUNT(*) AS n FROM products WHERE title = ?').bind(title).first<{ n: number }>())!.n;

const COPY =
  '这款保温杯采用食品级三一六不锈钢内胆，真空断热层让热水在冬天的早晨依旧温暖，杯盖带有硅胶密封圈，放进通勤包里也不会洒出来，适合上班族和学生日常使用。';

describe('product screening (合规筛查)', () => {
  it('refuses a product with a block-level term, naming the term, its field and position; nothing is written', async () => {
    const token = await adminToken();
    const { l3 } = await makeCategoryTree(token);
    const title = '保温杯 全网第一 大容量';
    const r = await api('POST', '/admin/v1/products', { token, body: productBody(l3, { title }) });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('catalog.screening_blocked');
    const m = r.body.error.details.matches.find((x: any) => x.term === '全网第一');
    expect(m).toMatchObject({ field: 'title', severity: 'block', start: 4, end: 8, found: '全网第一' });
    expect(m.hint).toBeTruthy();
    expect(await count(title)).toBe(0);
  });

  it('finds a term split by markup in the detail, with its offset in the stored HTML', async () => {
    const token = await adminToken();
    const { l3 } = await makeCategoryTree(token);
    const detailHtml = '<p>品质<b>最好</b>的杯子</p>';
    const r = await api('POST', '/admin/v1/products', { token, body: productBody(l3, { detailHtml }) });
    expect(r.status).toBe(400);
    const m = r.body.error.details.matches.find((x: any) => x.field === 'detailHtml');
    expect(detailHtml.slice(m.start, m.end)).toContain('最');
  });

  it('screens spec names and refuses an edit that adds a banned term, leaving the product as it was', async () => {
    const token = await adminToken();
    const { l3 } = await makeCategoryTree(token);
    const bad = await api('POST', '/admin/v1/products', {
      token,
      body: productBody(l3, { specDims: [{ name: '颜色', values: ['白色', '顶级黑'] }] }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.matches[0]).toMatchObject({ field: 'specDims.0.values.1', term: '顶级', start: 0, end: 2 });

    const p = await makeProduct(token, l3);
    const edit = await api('PATCH', `/admin/v1/products/${p.id}`, { token, body: { subtitle: '史无前例的保温' } });
    expect(edit.status).toBe(400);
    expect(edit.body.error.code).toBe('catalog.screening_blocked');
    const after = await api('GET', `/admin/v1/products/${p.id}`, { token });
    expect(after.body).toMatchObject({ subtitle: p.subtitle, version: p.version });
  });

  it('a clean product passes and goes on sale; a warn-level term is allowed and returned as a warning', async () => {
    const token = await adminToken();
    const { l3 } = await makeCategoryTree(token);
    const clean = await makeProduct(token, l3, { detailHtml: '<p>第一次使用前请用温水清洗，最近新增了磨砂款。</p>' });
    expect(clean.status).toBe('on_sale');
    expect(clean.screening).toMatchObject({ verdict: 'pass', held: false, matches: [] });
    const warned = await makeProduct(token, l3, { subtitle: '店里的王牌保温杯' });
    expect(warned.status).toBe('on_sale');
    expect(warned.screening.verdict).toBe('warn');
    expect(warned.screening.matches).toMatchObject([{ field: 'subtitle', term: '王牌', severity: 'warn', start: 3, end: 5 }]);
  });

  it("a merchant's review-level term holds it for an operator, who sees the matches and approves", async () => {
    const admin = await adminToken();
    const { l3 } = await makeCategoryTree(admin);
    const m = await merchant('mch_scr_review');
    const r = await api('POST', '/admin/v1/products', { token: m, body: productBody(l3, { subtitle: '本店独家定制款' }) });
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('pending_review');
    expect(r.body.screening).toMatchObject({ verdict: 'review', held: true });
    const operator = await staffToken('operator');
    const seen = await api('GET', `/admin/v1/products/${r.body.id}`, { token: operator });
    expect(seen.body.screening.matches).toMatchObject([{ field: 'subtitle', term: '独家', start: 2, end: 4 }]);
    const ok = await api('POST', `/admin/v1/products/${r.body.id}/review`, { token: operator, body: { decision: 'approve' } });
    expect(ok.body.status).toBe('on_sale');
  });

  it("an operator's own review-level term is not held (they are the reviewer) but is reported", async () => {
    const operator = await staffToken('operator');
    const admin = await adminToken();
    const { l3 } = await makeCategoryTree(admin);
    const p = await makeProduct(operator, l3, { subtitle: '本店独家定制款' });
    expect(p.status).toBe('on_sale');
    expect(p.screening).toMatchObject({ verdict: 'review', held: false });
  });

  it("flags another merchant's copied detail copy for review, naming the original product", async () => {
    const admin = await adminToken();
    const { l3 } = await makeCategoryTree(admin);
    const a = await merchant('mch_scr_orig');
    const b = await merchant('mch_scr_copy');
    const orig = await api('POST', '/admin/v1/products', {
      token: a,
      body: productBody(l3, { detailHtml: `<p>${COPY}</p>`, status: 'draft' }),
    });
    expect(orig.body.screening.duplicates).toEqual([]);
    // Same merchant reusing its copy is fine.
    const own = await api('POST', '/admin/v1/products', {
      token: a,
      body: productBody(l3, { detailHtml: `<p>${COPY}</p>`, status: 'draft' }),
    });
    expect(own.body.screening).toMatchObject({ held: false, duplicates: [] });
    const copied = await api('POST', '/admin/v1/products', {
      token: b,
      body: productBody(l3, { title: '便携保温杯', detailHtml: `<div>${COPY.replace('冬天', '冬日')}</div>`, status: 'draft' }),
    });
    expect(copied.status).toBe(201);
    expect(copied.body.screening.held).toBe(true);
    expect(copied.body.screening.duplicates.map((d: any) => d.productId)).toContain(orig.body.id);
    expect(copied.body.screening.duplicates[0]).toMatchObject({ merchantId: 'mch_scr_orig' });
  });
});

describe('required facts per category', () => {
  it('a configured category (inherited by its children) refuses listing without them; a draft may lack them', async () => {
    const token = await adminToken();
    const { l1, l2, l3 } = await makeCategoryTree(token);
    const set = await api('PUT', `/admin/v1/categories/${l1}/required-facts`, {
      token,
      body: { requiredFacts: ['材质', '产地', '保质期'] },
    });
    expect(set.status).toBe(200);
    const got = await api('GET', `/admin/v1/categories/${l3}/required-facts`, { token });
    expect(got.body).toEqual({ categoryId: l3, own: null, effective: ['材质', '产地', '保质期'], inheritedFrom: l1 });

    const bad = await api('POST', '/admin/v1/products', { token, body: productBody(l3, { origin: '' }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('catalog.required_facts_missing');
    expect(bad.body.error.details.missing).toEqual(['产地', '保质期']);
    expect(bad.body.error.details.issues.map((i: any) => i.path)).toEqual(['origin', 'attributes.保质期']);

    const draft = await makeProduct(token, l3, { status: 'draft' });
    expect(draft.status).toBe('draft');
    const list = await api('PATCH', `/admin/v1/products/${draft.id}`, { token, body: { status: 'on_sale' } });
    expect(list.body.error.details.missing).toEqual(['保质期']);
    const fixed = await api('PATCH', `/admin/v1/products/${draft.id}`, {
      token,
      body: { status: 'on_sale', attributes: { 品牌: '山川', 保质期: '长期' } },
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body.status).toBe('on_sale');

    // A child's own list wins over its parent's: [] = nothing required there.
    await api('PUT', `/admin/v1/categories/${l2}/required-facts`, { token, body: { requiredFacts: [] } });
    const free = await makeProduct(token, l3, { material: '', origin: '' });
    expect(free.status).toBe('on_sale');
    // null = inherit again
    const back = await api('PUT', `/admin/v1/categories/${l2}/required-facts`, { token, body: { requiredFacts: null } });
    expect(back.body.inheritedFrom).toBe(l1);
  });

  it('an unconfigured category keeps the platform rule (材质 and 产地)', async () => {
    const token = await adminToken();
    const { l3 } = await makeCategoryTree(token);
    const got = await api('GET', `/admin/v1/categories/${l3}/required-facts`, { token });
    expect(got.body).toMatchObject({ effective: ['材质', '产地'], inheritedFrom: null });
    const bad = await api('POST', '/admin/v1/products', { token, body: productBody(l3, { material: '' }) });
    expect(bad.body.error.code).toBe('catalog.not_publishable');
  });

  it('only platform staff configure it, and bad input is a 400', async () => {
    const token = await adminToken();
    const { l1 } = await makeCategoryTree(token);
    const m = await merchant('mch_scr_facts');
    const denied = await api('PUT', `/admin/v1/categories/${l1}/required-facts`, { token: m, body: { requiredFacts: ['材质'] } });
    expect(denied.status).toBe(403);
    const dup = await api('PUT', `/admin/v1/categories/${l1}/required-facts`, { token, body: { requiredFacts: ['材质', '材质'] } });
    expect(dup.status).toBe(400);
    expect(dup.body.error.code).toBe('validation.failed');
    const missing = await api('PUT', `/admin/v1/categories/cat_nope1234/required-facts`, { token, body: { requiredFacts: [] } });
    expect(missing.status).toBe(404);
  });
});
