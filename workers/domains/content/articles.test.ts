import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, api, shopperToken, staffToken } from '../../../test/helpers';
import { systemCtx } from '../../../test/ctx';
import { sellable } from '../../../test/shop';
import { setClockOffset } from '../../shared/clock';
import { publishDueContent } from './articles.service';
import { sanitizeArticleHtml } from './sanitize';

const HOUR = 3_600_000;
let admin: string;
let productId: string;
beforeAll(async () => {
  admin = await adminToken();
  productId = (await sellable(3990)).productId;
});
afterEach(() => setClockOffset(0));

const base = { kind: 'scene_guide', title: '职场穿搭指南', summary: '通勤也能有型', body: '<p>衬衫配西裤，简洁干练。</p>' };
async function draft(body: Record<string, unknown> = {}, token = admin) {
  // distinct text each time: identical bodies would be held as copied content
  const text = `<p>衬衫配西裤，简洁干练。编号${crypto.randomUUID()}，${Math.random().toString(36)}。</p>`;
  const r = await api('POST', '/admin/v1/content/articles', { token, body: { ...base, body: text, productIds: [productId], ...body } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; status: string; body: string };
}
const act = (id: string, action: string, body?: unknown, token = admin) =>
  api('POST', `/admin/v1/content/articles/${id}/${action}`, { token, body });
const storeList = (q = '') => api('GET', `/store/v1/articles${q}`);
const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((x) => x.id);

describe('sanitiser', () => {
  it('strips scripts, event handlers, javascript: URLs and styles, keeps the allowed markup', () => {
    const cases: [string, string][] = [
      ['<p>好物<script>alert(1)</script></p>', '<p>好物</p>'],
      ['<img src="x.png" onerror="alert(1)">', '<img>'],
      ['<img src="https://cdn.test/a.png" onerror=alert(1) alt="图">', '<img src="https://cdn.test/a.png" alt="图">'],
      ['<a href="javascript:alert(1)">点我</a>', '<a>点我</a>'],
      ['<a href="JaVa\tScRiPt:alert(1)">x</a>', '<a>x</a>'],
      ['<a href="&#106;avascript:alert(1)">x</a>', '<a>x</a>'],
      ['<a href="data:text/html,<b>x</b>">x</a>', '<a>x</a>'],
      ['<a href="//evil.test/x">x</a>', '<a>x</a>'],
      ['<p style="position:fixed;top:0;background:url(javascript:alert(1))">x</p>', '<p>x</p>'],
      ['<style>body{display:none}</style><p>x</p>', '<p>x</p>'],
      ['<iframe src="https://evil.test"></iframe><p>x</p>', '<p>x</p>'],
      ['<svg onload=alert(1)><p>x</p></svg>', ''],
      ['<div onclick="x()"><p>文</p></div>', '<p>文</p>'],
      ['<form action="/x"><input name=a></form>', ''],
      ['<img src="/media/img/1.png" width="300" height="x">', '<img src="/media/img/1.png" width="300">'],
      ['<h2>标题</h2><ul><li><strong>一</strong></li></ul>', '<h2>标题</h2><ul><li><strong>一</strong></li></ul>'],
    ];
    for (const [input, out] of cases) expect(sanitizeArticleHtml(input), input).toBe(out);
  });
});

describe('articles: lifecycle through the API', () => {
  it('creates a sanitised draft; the storefront cannot see drafts', async () => {
    const d = await draft({ body: '<p onclick="steal()">穿搭<script>x()</script></p><a href="javascript:void(0)">链接</a>' });
    expect(d).toMatchObject({ status: 'draft', body: '<p>穿搭</p><a>链接</a>' });
    expect(ids(await storeList())).not.toContain(d.id);
    expect((await api('GET', `/store/v1/articles/${d.id}`)).status).toBe(404);
  });

  it('a banned word blocks submit with its matches; it stays a draft', async () => {
    const d = await draft({ title: '最好的衬衫穿搭', body: '<p>这是全网最低价的好物。</p>' });
    const r = await act(d.id, 'submit');
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('content.screening_blocked');
    const terms = r.body.error.details.matches.map((m: any) => `${m.field}:${m.term}`);
    expect(terms).toEqual(expect.arrayContaining(['title:最好', 'body:最低价']));
    const m = r.body.error.details.matches.find((x: any) => x.term === '最好');
    expect(m).toMatchObject({ field: 'title', start: 0, end: 2 });
    expect(m.hint).toBeTruthy();
    const got = await api('GET', `/admin/v1/content/articles/${d.id}`, { token: admin });
    expect(got.body).toMatchObject({ status: 'draft', screenVerdict: 'block' });
    expect((await act(d.id, 'approve')).status).toBe(409);
  });

  it('a review term holds it for an operator; approve then schedule; rejecting sends it back with a reason', async () => {
    const d = await draft({ body: '<p>唯一推荐的通勤包。</p>' });
    const held = await act(d.id, 'submit');
    expect(held.body).toMatchObject({ status: 'review', screenVerdict: 'review' });
    expect(held.body.screenMatches[0]).toMatchObject({ term: '唯一', field: 'body' });
    const rejected = await act(d.id, 'reject', { reason: '请改写"唯一"' });
    expect(rejected.body).toMatchObject({ status: 'draft', rejectReason: '请改写"唯一"' });
    await act(d.id, 'submit');
    const ok = await act(d.id, 'approve');
    expect(ok.body).toMatchObject({ status: 'approved', rejectReason: null });
    expect((await act(d.id, 'approve')).status).toBe(200); // a repeat changes nothing
  });

  it('text copied from another article is held for review', async () => {
    const text =
      '<p>厨房清洁从台面开始：先用中性清洁剂擦去油污，再用干布擦干水渍；水槽每周用小苏打去除异味，抽油烟机滤网每月拆下浸泡清洗一次，冰箱密封条用软毛刷清理霉点。</p>';
    const first = await draft({ body: text });
    expect((await act(first.id, 'submit')).body.status).toBe('approved');
    const copy = await draft({ body: text.replace('每周', '每七天') });
    expect((await act(copy.id, 'submit')).body).toMatchObject({ status: 'review', screenVerdict: 'review' });
  });

  it('a scheduled article is invisible before its time and visible after (clock moved), before and after the cron', async () => {
    const publishAt = new Date(Date.now() + HOUR).toISOString();
    const d = await draft({ title: '开学季文具清单', kind: 'topic', seasonTag: '开学季', tags: ['文具'] });
    const sub = await act(d.id, 'submit');
    expect(sub.body.status).toBe('approved');
    const s = await act(d.id, 'schedule', { publishAt });
    expect(s.body).toMatchObject({ status: 'scheduled', live: false });
    expect(ids(await storeList())).not.toContain(d.id);
    expect(ids(await storeList('?tag=开学季'))).not.toContain(d.id);
    expect((await api('GET', `/store/v1/articles/${d.id}`)).status).toBe(404);

    setClockOffset(HOUR + 1000);
    // reads decide by time: visible before any cron ran
    expect(ids(await storeList())).toContain(d.id);
    expect(ids(await storeList('?tag=开学季&kind=topic'))).toContain(d.id);
    expect(ids(await storeList('?kind=article'))).not.toContain(d.id);
    const page = await api('GET', `/store/v1/articles/${d.id}`);
    expect(page.status).toBe(200);
    expect(page.body.products[0]).toMatchObject({ productId, price: 3990, onSale: true, label: null });
    // editing while public is refused (a fresh token: the old one expired when the clock moved)
    const later = await adminToken();
    expect((await api('PATCH', `/admin/v1/content/articles/${d.id}`, { token: later, body: { title: '新' } })).status).toBe(409);

    expect(await publishDueContent(systemCtx(Date.now() + HOUR + 1000))).toBeGreaterThanOrEqual(1);
    expect((await api('GET', `/admin/v1/content/articles/${d.id}`, { token: later })).body.status).toBe('published');
    expect(await publishDueContent(systemCtx(Date.now() + HOUR + 2000))).toBe(0);
  });

  it('taken-down content disappears from the storefront at once', async () => {
    const d = await draft({ publishAt: new Date(Date.now() - 1000).toISOString() });
    expect((await act(d.id, 'submit')).body).toMatchObject({ status: 'scheduled', live: true });
    expect(ids(await storeList())).toContain(d.id);
    const down = await act(d.id, 'take-down', { reason: '商品已停产' });
    expect(down.body).toMatchObject({ status: 'taken_down', takedownReason: '商品已停产', live: false });
    expect(ids(await storeList())).not.toContain(d.id);
    expect((await api('GET', `/store/v1/articles/${d.id}`)).status).toBe(404);
    expect((await act(d.id, 'take-down', { reason: '商品已停产' })).status).toBe(200); // repeat
  });

  it('an off-sale product card shows 已下架', async () => {
    const p = await sellable(1000);
    const d = await draft({ productIds: [p.productId], publishAt: new Date(Date.now() - 1000).toISOString() });
    await act(d.id, 'submit');
    const off = await api('PATCH', `/admin/v1/products/${p.productId}`, { token: admin, body: { status: 'off_sale' } });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    const page = await api('GET', `/store/v1/articles/${d.id}`);
    expect(page.body.products[0]).toMatchObject({ productId: p.productId, onSale: false, label: '已下架' });
  });

  it('create with an Idempotency-Key is done once', async () => {
    const headers = { 'idempotency-key': `k-${crypto.randomUUID()}` };
    const body = { ...base, title: '家庭清洁必备清单' };
    const a = await api('POST', '/admin/v1/content/articles', { token: admin, body, headers });
    const b = await api('POST', '/admin/v1/content/articles', { token: admin, body, headers });
    expect([a.status, b.status]).toEqual([201, 200]);
    expect(b.body.id).toBe(a.body.id);
  });

  it('permissions: a merchant or support cannot create or list; an operator can; a shopper token is refused', async () => {
    for (const role of ['merchant', 'support'] as const) {
      const t = await staffToken(role, role === 'merchant' ? 'mch_platform' : undefined);
      expect((await api('POST', '/admin/v1/content/articles', { token: t, body: base })).status).toBe(403);
      expect((await api('GET', '/admin/v1/content/articles', { token: t })).status).toBe(403);
    }
    await draft({}, await staffToken('operator'));
    const shopper = await shopperToken('content-perm');
    expect((await api('POST', '/admin/v1/content/articles', { token: shopper, body: base })).status).toBe(403);
  });

  it('bad input is 400 with field paths, never a partial write', async () => {
    const bad = async (body: unknown, path: string) => {
      const r = await api('POST', '/admin/v1/content/articles', { token: admin, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(r.body.error)).toContain(path);
    };
    await bad({ ...base, kind: 'video' }, 'kind');
    await bad({ ...base, title: '' }, 'title');
    await bad({ ...base, publishAt: 'tomorrow' }, 'publishAt');
    await bad({ ...base, coverMediaKey: '../../etc/passwd' }, 'coverMediaKey');
    const unknown = await api('POST', '/admin/v1/content/articles', { token: admin, body: { ...base, productIds: ['prd_nope000000'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('content.product_not_found');
    expect((await storeList('?kind=podcast')).status).toBe(400);
    expect((await act('cnt_missing00000', 'schedule', { publishAt: 'soon' })).status).toBe(400);
    expect((await act('cnt_missing00000', 'submit')).status).toBe(404);
  });
});
