import { beforeAll, describe, expect, it, vi } from 'vitest';
import { adminToken, api, staffToken } from '../../../test/helpers';
import { systemCtx } from '../../../test/ctx';
import { CLEAN_PRODUCT_SENTENCES } from '../../../test/fixtures/clean-product-sentences';
import { screen } from './screen.service';

let admin: string;
beforeAll(async () => {
  admin = await adminToken();
});

const screenText = (text: string, token = admin) => api('POST', '/admin/v1/screening/screen', { token, body: { text } });
const createWord = (body: Record<string, unknown>, token = admin) => api('POST', '/admin/v1/screening/words', { token, body });
const version = async () => (await api('GET', '/admin/v1/screening/words', { token: admin })).body.version as number;

describe('screenText catches every evasion form and points at the original text', () => {
  // [text, the term expected, the original substring it must point at]
  const cases: [string, string, string][] = [
    ['本店全网最低价，欢迎选购', '最低价', '最低价'],
    ['全场ＴＯＰ１好物推荐', 'top1', 'ＴＯＰ１'], // full-width letters and digit
    ['本品ToP1爆款', 'top1', 'ToP1'], // mixed case
    ['通过國家級检测', '国家级', '國家級'], // traditional
    ['这款是顶 级 面料', '顶级', '顶 级'], // spaces
    ['绝*对*正品保障', '绝对', '绝*对'], // symbols
    ['绝　对好用', '绝对', '绝　对'], // ideographic space
    ['最.佳.选.择', '最佳', '最.佳'], // dots between every character
    ['祛痘１００％有效', '100%有效', '１００％有效'], // full-width digits and percent
    ['祛痘1OO%有效', '100%有效', '1OO%有效'], // letter O for zero
    ['祛痘l00%有效', '100%有效', 'l00%有效'], // letter l for one
    ['祛痘①〇〇%有效', '100%有效', '①〇〇%有效'], // circled digit and 〇
    ['这是史-无-前-例的优惠', '史无前例', '史-无-前-例'],
    ['萬能清潔劑', '万能', '萬能'], // traditional
    ['号称可以根✦治脱发', '根治', '根✦治'], // a symbol from outside ASCII
    ['支持代 开 发 票', '代开发票', '代 开 发 票'],
    ['销量第①', '销量第1', '销量第①'], // circled digit
    ['荣获第 一 名', '第一', '第 一'],
  ];
  for (const [text, term, found] of cases)
    it(`${text} → ${term}`, async () => {
      const r = await screenText(text);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const m = r.body.matches.find((x: any) => x.term === term);
      expect(m, JSON.stringify(r.body)).toBeTruthy();
      expect(text.slice(m.start, m.end)).toBe(found);
      expect(m.found).toBe(found);
      expect(m.hint).toEqual(expect.any(String));
      expect(r.body.verdict).not.toBe('pass');
    });

  it('points past astral characters correctly and reports every match with the worst severity as the verdict', async () => {
    const text = '😀😀王牌单品，全网第一，顶级品质';
    const r = await screenText(text);
    expect(r.body.verdict).toBe('block');
    expect(r.body.matches.map((m: any) => [m.term, text.slice(m.start, m.end), m.severity])).toEqual([
      ['王牌', '王牌', 'warn'],
      ['全网第一', '全网第一', 'block'], // reported once as the longer term, not also as 第一
      ['顶级', '顶级', 'block'],
    ]);
    const warnOnly = await screenText('这是我们的王牌单品');
    expect(warnOnly.body).toMatchObject({ verdict: 'warn', matches: [{ term: '王牌', category: 'ad_absolute', start: 5, end: 7 }] });
  });
});

describe('precision: copy where 最 or 第一 is not a claim passes', () => {
  const clean = [
    '最近很多顾客回购',
    '活动最后一天，欢迎选购',
    '最新款春季连衣裙', // decided: 最新款 names a release
    '第一次使用请先清洗',
    '第一场直播福利多多',
    '第一步：打开包装',
    '已通过国家强制性产品认证（3C）',
    '采用食品级硅胶材质',
    '最大承重120kg',
    '最好在阴凉干燥处保存',
    '收到后第一时间检查外包装',
    '100%纯棉，亲肤透气',
    'Hello, this logo is cool',
    'Laptop 16英寸轻薄本', // top1 inside a word is not top1
    '治愈系毛绒玩偶',
  ];
  for (const text of clean)
    it(text, async () => {
      const r = await screenText(text);
      expect(r.body, text).toEqual({ verdict: 'pass', matches: [], version: expect.any(Number) });
    });

  it(`passes all ${CLEAN_PRODUCT_SENTENCES.length} clean product sentences`, async () => {
    expect(CLEAN_PRODUCT_SENTENCES.length).toBeGreaterThanOrEqual(200);
    const ctx = systemCtx();
    const flagged = [];
    for (const s of CLEAN_PRODUCT_SENTENCES) {
      const r = await screen(ctx, s);
      if (r.verdict !== 'pass') flagged.push([s, r.matches.map((m) => m.found)]);
    }
    expect(flagged).toEqual([]);
    // and as one long detail page through the API
    const page = await screenText(CLEAN_PRODUCT_SENTENCES.join('\n'));
    expect(page.body.verdict).toBe('pass');
  });
});

describe('dictionary editing', () => {
  it('adds, changes and disables words; screening follows each new version at once', async () => {
    const v0 = await version();
    expect((await screenText('限时秒杀神价')).body.verdict).toBe('pass');
    const w = await createWord({ term: '秒杀神价', category: 'ad_absolute', severity: 'review', hint: '改为"限时优惠"' });
    expect(w.status, JSON.stringify(w.body)).toBe(201);
    expect(w.body).toMatchObject({ term: '秒杀神价', enabled: true, version: v0 + 1 });
    expect((await screenText('限时秒 杀 神 价')).body).toMatchObject({ verdict: 'review', matches: [{ term: '秒杀神价', start: 2 }] });

    const changed = await api('PATCH', `/admin/v1/screening/words/${w.body.id}`, { token: admin, body: { severity: 'block' } });
    expect(changed.body).toMatchObject({ severity: 'block', version: v0 + 2 });
    expect((await screenText('秒杀神价')).body.verdict).toBe('block');

    const off = await api('DELETE', `/admin/v1/screening/words/${w.body.id}`, { token: admin });
    expect(off.body).toMatchObject({ enabled: false, version: v0 + 3 });
    expect((await api('GET', `/admin/v1/screening/words/${w.body.id}`, { token: admin })).body).toEqual(off.body);
    // the audit log has the edit with the word as it was before (written after the response: wait for it)
    const entry = await vi.waitFor(
      async () => {
        const list = await api('GET', `/admin/v1/audit-log?action=disableSensitiveWord&targetId=${w.body.id}`, { token: admin });
        expect(list.body.items).toHaveLength(1);
        return (await api('GET', `/admin/v1/audit-log/${list.body.items[0].id}`, { token: admin })).body;
      },
      { timeout: 3000, interval: 100 },
    );
    expect(entry.before).toMatchObject({ id: w.body.id, enabled: true, severity: 'block' });
    expect((await screenText('秒杀神价')).body.verdict).toBe('pass');
    const list = await api('GET', '/admin/v1/screening/words?enabled=false&q=秒杀', { token: admin });
    expect(list.body).toMatchObject({ version: v0 + 3, items: [{ id: w.body.id, enabled: false }] });
  });

  it('an allow phrase added by staff cancels the term it contains', async () => {
    expect((await screenText('第一名额外赠品')).body.verdict).toBe('block');
    const allow = await createWord({ term: '第一名额', category: 'allow', severity: 'allow' });
    expect(allow.status).toBe(201);
    expect((await screenText('第一名额外赠品')).body.verdict).toBe('pass');
    expect((await screenText('荣获第一名')).body.verdict).toBe('block');
  });

  it('lists the seeded dictionary with filters', async () => {
    const r = await api('GET', '/admin/v1/screening/words?category=ad_absolute&severity=block', { token: admin });
    expect(r.status).toBe(200);
    const terms = r.body.items.map((w: any) => w.term);
    for (const t of ['第一', '国家级', '顶级', '绝对', '100%有效', '最佳', '最低价', '全网第一', '史无前例', '万能'])
      expect(terms).toContain(t);
    expect(r.body.items.every((w: any) => w.category === 'ad_absolute' && w.severity === 'block')).toBe(true);
  });

  it('a retried create answers the same word; a variant spelling is the same term; other settings are 409', async () => {
    const body = { term: '震撼全球', category: 'ad_absolute', severity: 'warn', hint: null };
    const first = await createWord(body);
    expect(first.status).toBe(201);
    const v = await version();
    const again = await createWord(body);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(await version()).toBe(v); // no change, no bump
    const variant = await createWord({ ...body, term: '震 撼 全 球' });
    expect(variant.body.id).toBe(first.body.id);
    const other = await createWord({ ...body, severity: 'block' });
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'screening.word_exists', details: { id: first.body.id } });
  });

  it('gives each of a burst of concurrent edits its own version', async () => {
    const v0 = await version();
    const creates = Array.from({ length: 10 }, (_, i) =>
      createWord({ term: `并发词${String.fromCharCode(0x4e00 + i * 7)}测`, category: 'sensitive', severity: 'warn' }),
    );
    const seeded = (await api('GET', '/admin/v1/screening/words?q=顶尖', { token: admin })).body.items[0];
    const updates = Array.from({ length: 6 }, (_, i) =>
      api('PATCH', `/admin/v1/screening/words/${seeded.id}`, { token: admin, body: { hint: `提示${i}` } }),
    );
    const results = await Promise.all([...creates, ...updates]);
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    const versions = results.map((r) => r.body.version as number);
    expect(new Set(versions).size).toBe(16);
    expect(Math.min(...versions)).toBe(v0 + 1);
    expect(Math.max(...versions)).toBe(v0 + 16);
    expect(await version()).toBe(v0 + 16);
  });

  it('a burst creating the same term creates it once and bumps the version once', async () => {
    const v0 = await version();
    const body = { term: '同词并发', category: 'sensitive', severity: 'review' };
    const results = await Promise.all(Array.from({ length: 8 }, () => createWord(body)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(7);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await version()).toBe(v0 + 1);
  });
});

describe('permissions and input', () => {
  it('lets catalogue readers screen and list, only moderators edit, nobody anonymous', async () => {
    const support = await staffToken('support');
    const merchant = await staffToken('merchant', 'mch_platform');
    const operator = await staffToken('operator');
    const body = { term: '权限测试词', category: 'sensitive', severity: 'warn' };
    expect((await createWord(body, support)).status).toBe(403);
    expect((await createWord(body, merchant)).status).toBe(403);
    const w = await createWord(body, operator);
    expect(w.status).toBe(201);
    expect((await api('PATCH', `/admin/v1/screening/words/${w.body.id}`, { token: merchant, body: { enabled: false } })).status).toBe(403);
    expect((await api('DELETE', `/admin/v1/screening/words/${w.body.id}`, { token: support })).status).toBe(403);
    expect((await screenText('全网第一', merchant)).body.verdict).toBe('block');
    expect((await api('GET', '/admin/v1/screening/words', { token: support })).status).toBe(200);
    expect((await api('POST', '/admin/v1/screening/screen', { body: { text: '第一' } })).status).toBe(401);
    expect((await api('GET', '/admin/v1/screening/words')).status).toBe(401);
  });

  it('answers bad input with 400 JSON and writes nothing', async () => {
    const v0 = await version();
    const bad = async (r: Promise<{ status: number; body: any }>, code = 'validation.failed') => {
      const res = await r;
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe(code);
    };
    await bad(api('POST', '/admin/v1/screening/screen', { token: admin, body: {} }));
    await bad(api('POST', '/admin/v1/screening/screen', { token: admin, body: { text: '' } }));
    await bad(api('POST', '/admin/v1/screening/screen', { token: admin, body: { text: 'x'.repeat(50_001) } }));
    await bad(
      api('POST', '/admin/v1/screening/screen', { token: admin, raw: '{not json', headers: { 'content-type': 'application/json' } }),
      'validation.malformed',
    );
    await bad(createWord({ term: '好词', category: 'nonsense', severity: 'warn' }));
    await bad(createWord({ term: '好词', category: 'sensitive', severity: 'allow' }));
    await bad(createWord({ term: '', category: 'sensitive', severity: 'warn' }));
    await bad(createWord({ term: '%%% ...', category: 'sensitive', severity: 'warn' }), 'screening.term_empty');
    const some = (await api('GET', '/admin/v1/screening/words?q=顶级', { token: admin })).body.items[0];
    await bad(api('PATCH', `/admin/v1/screening/words/${some.id}`, { token: admin, body: {} }));
    await bad(api('PATCH', `/admin/v1/screening/words/${some.id}`, { token: admin, body: { severity: 'allow' } }));
    await bad(api('GET', '/admin/v1/screening/words?severity=loud', { token: admin }));
    expect((await api('PATCH', '/admin/v1/screening/words/sw_nothere', { token: admin, body: { enabled: false } })).status).toBe(404);
    expect(await version()).toBe(v0);
  });
});
