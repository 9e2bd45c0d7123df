import { describe, expect, it } from 'vitest';
import { api, adminToken, env, shopperToken, staffToken } from '../../../test/helpers';
import type { Actor, Ctx } from '../../shared/context';
import { getDb } from '../../shared/db';
import { createLogger } from '../../shared/log';
import {
  DEFAULT_FREIGHT_TEMPLATE,
  quoteShipping,
  quoteShippingWithTemplate,
  type FreightTemplateLike,
  type ShippingInput,
} from './freight.service';

// ---------- pure arithmetic ----------

/** 新疆: 首重1kg ¥20, 续重每0.5kg ¥7; everywhere else 首重1kg ¥8, 续重每1kg ¥2; 香港 not served. */
const TPL: FreightTemplateLike = {
  id: 'frt_test0000',
  name: 't',
  rules: [
    { regions: ['新疆维吾尔自治区'], firstWeightG: 1000, firstFee: 2000, additionalWeightG: 500, additionalFee: 700 },
    { regions: ['*'], firstWeightG: 1000, firstFee: 800, additionalWeightG: 1000, additionalFee: 200 },
  ],
  freeThreshold: null,
  excludedRegions: ['香港特别行政区'],
};

const input = (province: string, weightG: number, goodsTotal = 0, quantity = 1): ShippingInput => ({
  province,
  goodsTotal,
  lines: [{ weightG, quantity }],
});
const fee = (t: FreightTemplateLike, province: string, weightG: number) => quoteShippingWithTemplate(t, input(province, weightG)).fee;

function codeOf(fn: () => unknown): { code: string; status: number } | null {
  try {
    fn();
    return null;
  } catch (e) {
    return { code: (e as { code: string }).code, status: (e as { status: number }).status };
  }
}

describe('freight arithmetic (quoteShippingWithTemplate)', () => {
  it('charges the first weight up to and including firstWeightG, and for a weight of 0', () => {
    expect(fee(TPL, '广东省', 0)).toBe(800);
    expect(fee(TPL, '广东省', 1)).toBe(800);
    expect(fee(TPL, '广东省', 999)).toBe(800);
    expect(fee(TPL, '广东省', 1000)).toBe(800);
    expect(quoteShippingWithTemplate(TPL, { province: '广东省', goodsTotal: 0, lines: [] }).fee).toBe(800);
  });

  it('rounds every started additional step up', () => {
    expect(fee(TPL, '广东省', 1001)).toBe(1000);
    expect(fee(TPL, '广东省', 2000)).toBe(1000);
    expect(fee(TPL, '广东省', 2001)).toBe(1200);
    expect(fee(TPL, '广东省', 3500)).toBe(1400);
    expect(fee(TPL, '广东省', 10_000)).toBe(800 + 9 * 200);
  });

  it('matches ceil((w − first) / step) × fee for every gram from 0 to 6 kg, both rules', () => {
    for (const [province, first, firstFee, step, stepFee] of [
      ['上海市', 1000, 800, 1000, 200],
      ['新疆维吾尔自治区', 1000, 2000, 500, 700],
    ] as const) {
      for (let w = 0; w <= 6000; w++) {
        const expected = firstFee + Math.max(0, Math.ceil((w - first) / step)) * stepFee;
        if (fee(TPL, province, w) !== expected) throw new Error(`${province} ${w}g: got ${fee(TPL, province, w)}, want ${expected}`);
      }
    }
  });

  it('weighs all lines × quantities together', () => {
    // 300×3 + 250×2 = 1400 g → one additional step
    const q = quoteShippingWithTemplate(TPL, {
      province: '浙江省',
      goodsTotal: 0,
      lines: [
        { weightG: 300, quantity: 3 },
        { weightG: 250, quantity: 2 },
      ],
    });
    expect(q.fee).toBe(1000);
    // quantity 0 weighs nothing: 1000 g stays within the first weight
    const z = quoteShippingWithTemplate(TPL, {
      province: '浙江省',
      goodsTotal: 0,
      lines: [
        { weightG: 1000, quantity: 1 },
        { weightG: 5000, quantity: 0 },
      ],
    });
    expect(z.fee).toBe(800);
  });

  it('uses the named province rule before the "*" rule', () => {
    expect(fee(TPL, '新疆维吾尔自治区', 1000)).toBe(2000);
    expect(fee(TPL, '新疆维吾尔自治区', 1001)).toBe(2700);
    expect(fee(TPL, '新疆维吾尔自治区', 1500)).toBe(2700);
    expect(fee(TPL, '新疆维吾尔自治区', 1501)).toBe(3400);
    expect(fee(TPL, ' 新疆维吾尔自治区 ', 1000)).toBe(2000); // surrounding spaces from a form
  });

  it('is free exactly at the threshold and charged 1 fen below, saying how much is missing', () => {
    const t = { ...TPL, freeThreshold: 9900 };
    const at = quoteShippingWithTemplate(t, input('广东省', 2500, 9900));
    expect(at).toEqual({ fee: 0, free: true, templateId: 'frt_test0000', label: '运费', reason: '满99包邮' });
    const below = quoteShippingWithTemplate(t, input('广东省', 2500, 9899));
    expect(below).toMatchObject({ fee: 1200, free: false, reason: '还差¥0.01包邮' });
    expect(quoteShippingWithTemplate(t, input('广东省', 2500, 8700)).reason).toBe('还差¥12.00包邮');
    expect(quoteShippingWithTemplate(t, input('新疆维吾尔自治区', 2500, 10_000))).toMatchObject({ fee: 0, free: true });
    expect(quoteShippingWithTemplate({ ...t, freeThreshold: 9950 }, input('广东省', 0, 9950)).reason).toBe('满99.50包邮');
    expect(quoteShippingWithTemplate({ ...t, freeThreshold: 0 }, input('广东省', 9000, 0))).toMatchObject({
      fee: 0,
      free: true,
      reason: '包邮',
    });
  });

  it('explains the fee by weight when the template has no threshold', () => {
    expect(quoteShippingWithTemplate(TPL, input('广东省', 2500)).reason).toBe('计费重量2.5kg：首重1kg ¥8.00 + 续重2×1kg ¥4.00');
    expect(quoteShippingWithTemplate(TPL, input('广东省', 250)).reason).toBe('计费重量0.25kg：首重1kg ¥8.00');
  });

  it('refuses an excluded province, and one no rule covers, with 400 logistics.region_not_served', () => {
    expect(codeOf(() => quoteShippingWithTemplate(TPL, input('香港特别行政区', 100)))).toEqual({
      code: 'logistics.region_not_served',
      status: 400,
    });
    // excluded wins even when the threshold would make it free
    expect(codeOf(() => quoteShippingWithTemplate({ ...TPL, freeThreshold: 0 }, input('香港特别行政区', 100, 100)))?.code).toBe(
      'logistics.region_not_served',
    );
    const noRest = { ...TPL, rules: [TPL.rules[0]!] };
    expect(codeOf(() => quoteShippingWithTemplate(noRest, input('广东省', 100)))?.code).toBe('logistics.region_not_served');
    expect(codeOf(() => quoteShippingWithTemplate(noRest, input('新疆维吾尔自治区', 100)))).toBeNull();
  });

  it('refuses non-integer or negative weights, quantities and totals', () => {
    for (const bad of [
      { province: '广东省', goodsTotal: 0, lines: [{ weightG: -1, quantity: 1 }] },
      { province: '广东省', goodsTotal: 0, lines: [{ weightG: 1.5, quantity: 1 }] },
      { province: '广东省', goodsTotal: 0, lines: [{ weightG: 100, quantity: 0.5 }] },
      { province: '广东省', goodsTotal: 99.5, lines: [] },
      { province: '广东省', goodsTotal: -1, lines: [] },
      { province: '广东省', goodsTotal: 0, lines: [{ weightG: Number.MAX_SAFE_INTEGER, quantity: 2 }] },
    ]) {
      expect(codeOf(() => quoteShippingWithTemplate(TPL, bad))?.code, JSON.stringify(bad)).toBe('logistics.invalid_quote_input');
    }
  });

  it('built-in platform default: 首重1kg ¥8 + 续重¥2/kg, remote ¥20 + ¥10/kg, free from ¥99', () => {
    const d = DEFAULT_FREIGHT_TEMPLATE;
    expect(fee(d, '广东省', 1000)).toBe(800);
    expect(fee(d, '广东省', 2500)).toBe(1200);
    for (const remote of ['新疆维吾尔自治区', '西藏自治区', '青海省']) {
      expect(fee(d, remote, 1000)).toBe(2000);
      expect(fee(d, remote, 2500)).toBe(4000);
    }
    expect(quoteShippingWithTemplate(d, input('广东省', 1000, 9900))).toEqual({
      fee: 0,
      free: true,
      templateId: null,
      label: '运费',
      reason: '满99包邮',
    });
    expect(quoteShippingWithTemplate(d, input('西藏自治区', 1000, 9899))).toMatchObject({
      fee: 2000,
      free: false,
      reason: '还差¥0.01包邮',
    });
  });
});

// ---------- templates through the admin API ----------

async function merchant(id: string): Promise<string> {
  await env.DB.prepare("INSERT OR IGNORE INTO merchants (id, name, status, commission_bps, created_at) VALUES (?, ?, 'active', 0, 0)")
    .bind(id, id)
    .run();
  return staffToken('merchant', id);
}

const ctxAs = (actor: Actor): Ctx => ({
  db: getDb(env.DB),
  env,
  actor,
  now: Date.now(),
  requestId: 'req_test',
  log: createLogger({ test: 'freight' }),
});
const system: Actor = { kind: 'system', name: 'test' };

const body = (over: Record<string, unknown> = {}) => ({
  name: '默认模板',
  rules: [
    { regions: ['西藏自治区'], firstWeightG: 500, firstFee: 3000, additionalWeightG: 500, additionalFee: 1500 },
    { regions: ['*'], firstWeightG: 1000, firstFee: 600, additionalWeightG: 1000, additionalFee: 100 },
  ],
  freeThreshold: 5900,
  excludedRegions: ['台湾省'],
  ...over,
});

const list = async (token: string, query = '') => (await api('GET', `/admin/v1/freight-templates${query}`, { token })).body.items as any[];

describe('freight templates (admin)', () => {
  it('creates, edits and deletes a template; the default is what quotes use', async () => {
    const m = await merchant('mch_frt_crud');
    expect(await quoteShipping(ctxAs(system), { merchantId: 'mch_frt_crud', ...input('广东省', 1500, 0) })).toMatchObject({
      templateId: null,
      fee: 1000,
    });

    const created = await api('POST', '/admin/v1/freight-templates', { token: m, body: body({ isDefault: true }) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ merchantId: 'mch_frt_crud', isDefault: true, freeThreshold: 5900, excludedRegions: ['台湾省'] });
    expect(created.body.id).toMatch(/^frt_[0-9a-z]{16}$/);
    const id = created.body.id;
    expect(await quoteShipping(ctxAs(system), { merchantId: 'mch_frt_crud', ...input('广东省', 1500, 0) })).toMatchObject({
      templateId: id,
      fee: 700,
    });
    expect(await quoteShipping(ctxAs(system), { merchantId: 'mch_frt_crud', ...input('西藏自治区', 1200, 0) })).toMatchObject({
      fee: 3000 + 2 * 1500,
    });
    expect(await quoteShipping(ctxAs(system), { merchantId: 'mch_frt_crud', ...input('广东省', 1500, 5900) })).toMatchObject({
      fee: 0,
      free: true,
      reason: '满59包邮',
    });
    await expect(quoteShipping(ctxAs(system), { merchantId: 'mch_frt_crud', ...input('台湾省', 100, 0) })).rejects.toMatchObject({
      code: 'logistics.region_not_served',
      status: 400,
    });

    const patched = await api('PATCH', `/admin/v1/freight-templates/${id}`, { token: m, body: { name: '改名', freeThreshold: null } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: '改名', freeThreshold: null, isDefault: true, rules: body().rules });
    expect(await quoteShipping(ctxAs(system), { merchantId: 'mch_frt_crud', ...input('广东省', 1500, 100_000) })).toMatchObject({
      fee: 700,
      free: false,
    });

    // not the default any more → the built-in default prices again
    await api('PATCH', `/admin/v1/freight-templates/${id}`, { token: m, body: { isDefault: false } });
    expect(await quoteShipping(ctxAs(system), { merchantId: 'mch_frt_crud', ...input('广东省', 1500, 0) })).toMatchObject({
      templateId: null,
      fee: 1000,
    });
    await api('PATCH', `/admin/v1/freight-templates/${id}`, { token: m, body: { isDefault: true } });

    expect((await api('DELETE', `/admin/v1/freight-templates/${id}`, { token: m })).status).toBe(200);
    expect(await list(m)).toEqual([]);
    expect(await quoteShipping(ctxAs(system), { merchantId: 'mch_frt_crud', ...input('广东省', 1500, 0) })).toMatchObject({
      templateId: null,
    });
    const gone = await api('PATCH', `/admin/v1/freight-templates/${id}`, { token: m, body: { name: 'x' } });
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('logistics.template_not_found');
    expect((await api('DELETE', `/admin/v1/freight-templates/${id}`, { token: m })).status).toBe(404);
  });

  it('keeps one default per merchant: setting one unsets the others, other merchants untouched', async () => {
    const m = await merchant('mch_frt_def');
    const other = await merchant('mch_frt_def2');
    const theirs = await api('POST', '/admin/v1/freight-templates', { token: other, body: body({ name: '别家', isDefault: true }) });
    const a = await api('POST', '/admin/v1/freight-templates', { token: m, body: body({ name: 'A', isDefault: true }) });
    const b = await api('POST', '/admin/v1/freight-templates', { token: m, body: body({ name: 'B', isDefault: true }) });
    const c = await api('POST', '/admin/v1/freight-templates', { token: m, body: body({ name: 'C' }) });
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    const defaults = async () => (await list(m)).filter((t) => t.isDefault).map((t) => t.name);
    expect(await defaults()).toEqual(['B']);
    expect(c.body.isDefault).toBe(false);

    expect((await api('PATCH', `/admin/v1/freight-templates/${c.body.id}`, { token: m, body: { isDefault: true } })).body.isDefault).toBe(
      true,
    );
    expect(await defaults()).toEqual(['C']);
    expect((await list(m)).map((t) => t.name)).toEqual(['C', 'A', 'B']); // default first
    expect(await quoteShipping(ctxAs(system), { merchantId: 'mch_frt_def', ...input('广东省', 0, 0) })).toMatchObject({
      templateId: c.body.id,
    });

    // the other merchant's default survived all of it
    expect((await list(other)).map((t) => [t.id, t.isDefault])).toEqual([[theirs.body.id, true]]);
    const raw = await env.DB.prepare(
      'SELECT merchant_id, COUNT(*) AS n FROM freight_templates WHERE is_default = 1 GROUP BY merchant_id',
    ).all<{ merchant_id: string; n: number }>();
    expect(raw.results.every((r) => r.n === 1)).toBe(true);
  });

  it("merchants manage only their own templates; platform staff manage any merchant's", async () => {
    const a = await merchant('mch_frt_a');
    const b = await merchant('mch_frt_b');
    const tpl = (await api('POST', '/admin/v1/freight-templates', { token: a, body: body({ name: 'A的模板', isDefault: true }) })).body;
    await api('POST', '/admin/v1/freight-templates', { token: b, body: body({ name: 'B的模板' }) });

    const patch = await api('PATCH', `/admin/v1/freight-templates/${tpl.id}`, { token: b, body: { name: '被改了' } });
    expect(patch.status).toBe(403);
    expect(patch.body.error.code).toBe('auth.forbidden');
    expect((await api('DELETE', `/admin/v1/freight-templates/${tpl.id}`, { token: b })).status).toBe(403);
    const forOther = await api('POST', '/admin/v1/freight-templates', { token: b, body: body({ merchantId: 'mch_frt_a' }) });
    expect(forOther.status).toBe(403);

    // B sees only B's, even when asking for A's
    expect((await list(b)).map((t) => t.name)).toEqual(['B的模板']);
    expect((await list(b, '?merchantId=mch_frt_a')).map((t) => t.name)).toEqual(['B的模板']);
    const untouched = (await list(a))[0];
    expect(untouched).toMatchObject({ id: tpl.id, name: 'A的模板', isDefault: true });

    // platform staff: any merchant, filterable, and may create for a merchant
    const op = await staffToken('operator');
    expect((await api('PATCH', `/admin/v1/freight-templates/${tpl.id}`, { token: op, body: { name: '运营改的' } })).status).toBe(200);
    expect((await list(op, '?merchantId=mch_frt_a')).map((t) => t.name)).toEqual(['运营改的']);
    const names = (await list(op)).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['运营改的', 'B的模板']));
    const made = await api('POST', '/admin/v1/freight-templates', { token: op, body: body({ merchantId: 'mch_frt_b', name: '运营建的' }) });
    expect(made.status).toBe(201);
    expect(made.body.merchantId).toBe('mch_frt_b');
    const platform = await api('POST', '/admin/v1/freight-templates', { token: op, body: body({ name: '平台的' }) });
    expect(platform.body.merchantId).toBe('mch_platform');
    const nobody = await api('POST', '/admin/v1/freight-templates', { token: op, body: body({ merchantId: 'mch_nobody' }) });
    expect(nobody.status).toBe(404);
  });

  it('reads need catalog.read, writes catalog.write', async () => {
    const support = await staffToken('support');
    expect((await api('GET', '/admin/v1/freight-templates', { token: support })).status).toBe(200);
    expect((await api('POST', '/admin/v1/freight-templates', { token: support, body: body() })).status).toBe(403);
    const shopper = await shopperToken('frt-shopper');
    expect((await api('GET', '/admin/v1/freight-templates', { token: shopper })).status).toBe(403);
    expect((await api('GET', '/admin/v1/freight-templates')).status).toBe(401);
  });

  it('validates rules: exactly one "*" rule, integer fen and positive grams, no province twice', async () => {
    const token = await adminToken();
    const rest = body().rules[1]!;
    const tibet = body().rules[0]!;
    const bad = async (over: Record<string, unknown>, path: string) => {
      const r = await api('POST', '/admin/v1/freight-templates', { token, body: body(over) });
      expect(r.status, JSON.stringify(over)).toBe(400);
      expect(r.body.error.code).toBe('validation.failed');
      expect(r.body.error.details.issues.map((i: any) => i.path)).toContain(path);
    };
    await bad({ rules: [tibet] }, 'rules');
    await bad({ rules: [tibet, rest, { ...rest }] }, 'rules');
    await bad({ rules: [{ ...rest, regions: ['*', '广东省'] }] }, 'rules.0.regions');
    await bad({ rules: [{ ...rest, firstFee: 8.5 }] }, 'rules.0.firstFee');
    await bad({ rules: [{ ...rest, additionalFee: -1 }] }, 'rules.0.additionalFee');
    await bad({ rules: [{ ...rest, firstWeightG: 0 }] }, 'rules.0.firstWeightG');
    await bad({ rules: [{ ...rest, additionalWeightG: 0 }] }, 'rules.0.additionalWeightG');
    await bad({ rules: [{ ...rest, additionalWeightG: 0.5 }] }, 'rules.0.additionalWeightG');
    await bad({ rules: [tibet, { ...tibet, regions: ['广东省', '西藏自治区'] }, rest] }, 'rules.1.regions.1');
    await bad({ excludedRegions: ['西藏自治区'] }, 'excludedRegions.0');
    await bad({ freeThreshold: 99.9 }, 'freeThreshold');

    const ok = await api('POST', '/admin/v1/freight-templates', { token, body: body() });
    expect(ok.status).toBe(201);
    // an update is checked against what it leaves unchanged
    const clash = await api('PATCH', `/admin/v1/freight-templates/${ok.body.id}`, { token, body: { excludedRegions: ['西藏自治区'] } });
    expect(clash.status).toBe(400);
    const noRest = await api('PATCH', `/admin/v1/freight-templates/${ok.body.id}`, { token, body: { rules: [tibet] } });
    expect(noRest.status).toBe(400);
    expect(
      (await api('PATCH', `/admin/v1/freight-templates/${ok.body.id}`, { token, body: { excludedRegions: ['香港特别行政区'] } })).status,
    ).toBe(200);
  });
});
