import { describe, expect, it, vi } from 'vitest';
import { api, adminToken, env, staffToken } from '../../../test/helpers';
import { makeCategoryTree, makeProduct } from '../../../test/catalog';
import { makeMerchant, paidOrder } from '../../../test/aftersales';
import { capJson, redact, REDACTED } from './audit.service';
import { targetOf } from './audit.middleware';

interface Row {
  id: string;
  staff_id: string;
  staff_email: string;
  role: string;
  merchant_id: string | null;
  action: string;
  method: string;
  path: string;
  target_type: string | null;
  target_id: string | null;
  status: number;
  request: string | null;
  before: string | null;
  after: string | null;
  request_id: string;
  ip: string | null;
}

const parse = (r: Row) => ({
  ...r,
  request: r.request ? JSON.parse(r.request) : null,
  before: r.before ? JSON.parse(r.before) : null,
  after: r.after ? JSON.parse(r.after) : null,
});

/** The audit rows written for a request id (written in the background, so wait for them briefly). */
async function rowsOf(requestId: string, expected = 1) {
  return vi.waitFor(
    async () => {
      const { results } = await env.DB.prepare('SELECT * FROM audit_log WHERE request_id = ?').bind(requestId).all<Row>();
      if (results.length < expected) throw new Error(`only ${results.length} audit rows for ${requestId}`);
      return results.map(parse);
    },
    { timeout: 3000, interval: 20 },
  );
}

const rid = () => `req-${crypto.randomUUID()}`;
const withRid = (id: string, extra: Record<string, string> = {}) => ({ 'x-request-id': id, ...extra });
/** Lets background writes of earlier requests land before counting. */
const settle = () => new Promise((r) => setTimeout(r, 150));

describe('audit log: staff writes are recorded', () => {
  it('createCategory: who, action, target from the response id, request body, after, status, request id and IP', async () => {
    const admin = await adminToken();
    const id = rid();
    const r = await api('POST', '/admin/v1/categories', {
      token: admin,
      body: { name: `审计分类${id.slice(-6)}` },
      headers: withRid(id, { 'cf-connecting-ip': '203.0.113.7' }),
    });
    expect(r.status).toBe(201);
    const [row] = await rowsOf(id);
    expect(row).toMatchObject({
      staff_email: 'admin@edgemall.local',
      role: 'admin',
      merchant_id: null,
      action: 'createCategory',
      method: 'POST',
      path: '/admin/v1/categories',
      target_type: 'category',
      target_id: r.body.id,
      status: 201,
      ip: '203.0.113.7',
      before: null,
    });
    expect(row!.staff_id).toMatch(/^stf_/);
    expect(row!.request).toEqual({ name: `审计分类${id.slice(-6)}` });
    expect(row!.after).toMatchObject({ id: r.body.id, name: r.body.name });
  });

  it('updateProduct: before is the product as GET showed it before the change, after the response', async () => {
    const admin = await adminToken();
    const { l3 } = await makeCategoryTree(admin);
    const p = await makeProduct(admin, l3, { title: '审计前的标题 保温杯' });
    const id = rid();
    const r = await api('PATCH', `/admin/v1/products/${p.id}`, {
      token: admin,
      body: { title: '审计后的标题 保温杯' },
      headers: withRid(id),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const [row] = await rowsOf(id);
    expect(row).toMatchObject({
      action: 'updateProduct',
      method: 'PATCH',
      target_type: 'product',
      target_id: p.id,
      status: 200,
      role: 'admin',
    });
    expect(row!.before).toMatchObject({ id: p.id, title: '审计前的标题 保温杯' });
    expect(row!.after).toMatchObject({ id: p.id, title: '审计后的标题 保温杯' });
    expect(row!.request).toEqual({ title: '审计后的标题 保温杯' });
  });

  it('adjustStock: before holds the stock level, after the new one; an operator is recorded as operator', async () => {
    const admin = await adminToken();
    const op = await staffToken('operator');
    const { l3 } = await makeCategoryTree(admin);
    const p = await makeProduct(admin, l3);
    const skuId = p.skus[0].id as string;
    const id = rid();
    const r = await api('POST', `/admin/v1/skus/${skuId}/stock-adjustments`, {
      token: op,
      body: { delta: 7, reason: 'restock', note: '到货' },
      headers: withRid(id),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const [row] = await rowsOf(id);
    expect(row).toMatchObject({ action: 'adjustStock', role: 'operator', target_type: 'sku', target_id: skuId, status: 200 });
    expect(row!.before).toMatchObject({ skuId, stock: 50 });
    expect(row!.after).toMatchObject({ stock: 57 });
    expect(row!.request).toEqual({ delta: 7, reason: 'restock', note: '到货' });
  });

  it("shipOrder: before is the order from its GET; the shopper's address and phone are not kept", async () => {
    const o = await paidOrder();
    const op = await staffToken('operator');
    const id = rid();
    const r = await api('POST', `/admin/v1/orders/${o.orderId}/ship`, {
      token: op,
      body: { carrierCode: 'SF', trackingNo: `SF${Date.now()}` },
      headers: withRid(id),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const [row] = await rowsOf(id);
    expect(row).toMatchObject({ action: 'shipOrder', target_type: 'order', target_id: o.orderId, role: 'operator', status: 200 });
    expect(row!.before).toMatchObject({ id: o.orderId, status: 'paid', address: REDACTED });
    const raw = await env.DB.prepare('SELECT before, after FROM audit_log WHERE request_id = ?')
      .bind(id)
      .first<{ before: string; after: string }>();
    expect(raw!.before + raw!.after).not.toContain('13800138000');
    expect(raw!.before + raw!.after).not.toContain('文三路');
  });

  it('GET requests and sign-ins are not recorded', async () => {
    const admin = await adminToken();
    await settle();
    const before = await env.DB.prepare('SELECT count(*) AS n FROM audit_log').first<{ n: number }>();
    const id = rid();
    expect((await api('GET', '/admin/v1/categories', { token: admin, headers: withRid(id) })).status).toBe(200);
    expect((await api('GET', '/admin/v1/products', { token: admin, headers: withRid(id) })).status).toBe(200);
    await api('POST', '/admin/v1/auth/login', {
      body: { email: 'admin@edgemall.local', password: env.SEED_ADMIN_PASSWORD },
      headers: withRid(id),
    });
    await settle();
    const after = await env.DB.prepare('SELECT count(*) AS n FROM audit_log').first<{ n: number }>();
    expect(after!.n).toBe(before!.n);
    const gets = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE method IN ('GET', 'HEAD', 'OPTIONS') OR path LIKE '%/auth/%'",
    ).first<{ n: number }>();
    expect(gets!.n).toBe(0);
  });

  it('secrets never reach the log: createStaff keeps no password', async () => {
    const admin = await adminToken();
    const id = rid();
    const password = 'very-secret-horse-42';
    const r = await api('POST', '/admin/v1/staff', {
      token: admin,
      body: { email: `aud-${id.slice(-8)}@edgemall.test`, name: '审计员', password, role: 'support' },
      headers: withRid(id),
    });
    expect(r.status).toBe(201);
    const [row] = await rowsOf(id);
    expect(row).toMatchObject({ action: 'createStaff', target_type: 'staff', target_id: r.body.id, status: 201 });
    expect(row!.request.password).toBe(REDACTED);
    expect(row!.request).toMatchObject({ name: '审计员', role: 'support' });
    const raw = await env.DB.prepare('SELECT request, after FROM audit_log WHERE request_id = ?')
      .bind(id)
      .first<{ request: string; after: string }>();
    expect(raw!.request + raw!.after).not.toContain(password);
    const all = await env.DB.prepare('SELECT count(*) AS n FROM audit_log WHERE request LIKE ?')
      .bind(`%${password}%`)
      .first<{ n: number }>();
    expect(all!.n).toBe(0);
  });

  it("a merchant's write is recorded with its merchant id", async () => {
    const admin = await adminToken();
    const merchantId = await makeMerchant();
    const m = await staffToken('merchant', merchantId);
    const { l3 } = await makeCategoryTree(admin);
    const p = await makeProduct(admin, l3, { merchantId });
    const id = rid();
    const r = await api('PATCH', `/admin/v1/products/${p.id}`, { token: m, body: { subtitle: '商家改的副标题' }, headers: withRid(id) });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const [row] = await rowsOf(id);
    expect(row).toMatchObject({ role: 'merchant', merchant_id: merchantId, action: 'updateProduct', target_id: p.id });
    expect(row!.before).toMatchObject({ subtitle: '24小时保温' });
    const list = await api('GET', `/admin/v1/audit-log?merchantId=${merchantId}`, { token: admin });
    expect(list.body.items.map((e: { requestId: string }) => e.requestId)).toContain(id);
  });

  it('a refused write by a signed-in staff member is recorded with its status; anonymous ones are not', async () => {
    const support = await staffToken('support');
    const id = rid();
    const r = await api('POST', '/admin/v1/categories', { token: support, body: { name: '客服不能建分类' }, headers: withRid(id) });
    expect(r.status).toBe(403);
    const [row] = await rowsOf(id);
    expect(row).toMatchObject({ role: 'support', action: 'createCategory', status: 403, target_id: null });
    const anon = rid();
    expect((await api('POST', '/admin/v1/categories', { body: { name: 'x' }, headers: withRid(anon) })).status).toBe(401);
    await settle();
    expect((await env.DB.prepare('SELECT count(*) AS n FROM audit_log WHERE request_id = ?').bind(anon).first<{ n: number }>())!.n).toBe(0);
  });

  it('entries are append-only: UPDATE and DELETE through D1 fail', async () => {
    const admin = await adminToken();
    const id = rid();
    await api('POST', '/admin/v1/categories', { token: admin, body: { name: `只追加${id.slice(-6)}` }, headers: withRid(id) });
    const [row] = await rowsOf(id);
    await expect(env.DB.prepare("UPDATE audit_log SET action = 'tampered' WHERE id = ?").bind(row!.id).run()).rejects.toThrow(
      /append-only/,
    );
    await expect(env.DB.prepare('DELETE FROM audit_log WHERE id = ?').bind(row!.id).run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare('DELETE FROM audit_log').run()).rejects.toThrow(/append-only/);
    const still = await env.DB.prepare('SELECT action FROM audit_log WHERE id = ?').bind(row!.id).first<{ action: string }>();
    expect(still!.action).toBe('createCategory');
  });
});

describe('listAuditLog / getAuditEntry', () => {
  it('admin only: support, operator and merchant staff get 403; nobody 401', async () => {
    const merchantId = await makeMerchant();
    for (const token of [await staffToken('support'), await staffToken('operator'), await staffToken('merchant', merchantId)]) {
      const r = await api('GET', '/admin/v1/audit-log', { token });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('auth.forbidden');
      expect((await api('GET', '/admin/v1/audit-log/aud_0000000000000000', { token })).status).toBe(403);
    }
    expect((await api('GET', '/admin/v1/audit-log')).status).toBe(401);
  });

  it('filters by action, target, staff and time; newest first; pages with a cursor; one entry by id', async () => {
    const admin = await adminToken();
    const { l3 } = await makeCategoryTree(admin);
    const p = await makeProduct(admin, l3);
    const ids = [rid(), rid(), rid()];
    for (const [i, id] of ids.entries())
      expect(
        (await api('PATCH', `/admin/v1/products/${p.id}`, { token: admin, body: { subtitle: `第${i}次` }, headers: withRid(id) })).status,
      ).toBe(200);
    for (const id of ids) await rowsOf(id);

    const byTarget = await api('GET', `/admin/v1/audit-log?targetId=${p.id}&action=updateProduct`, { token: admin });
    expect(byTarget.status).toBe(200);
    expect(byTarget.body.items.map((e: { requestId: string }) => e.requestId)).toEqual([...ids].reverse());
    const first = byTarget.body.items[0];
    expect(first).toMatchObject({
      action: 'updateProduct',
      targetType: 'product',
      targetId: p.id,
      role: 'admin',
      staffEmail: 'admin@edgemall.local',
      method: 'PATCH',
      status: 200,
    });
    expect(first.before).toMatchObject({ subtitle: '第1次' });
    expect(first.after).toMatchObject({ subtitle: '第2次' });
    expect(Date.parse(first.createdAt)).toBeGreaterThan(0);

    const page1 = await api('GET', `/admin/v1/audit-log?targetId=${p.id}&action=updateProduct&limit=2`, { token: admin });
    expect(page1.body.items).toHaveLength(2);
    const page2 = await api('GET', `/admin/v1/audit-log?targetId=${p.id}&action=updateProduct&limit=2&cursor=${page1.body.nextCursor}`, {
      token: admin,
    });
    expect(page2.body.items.map((e: { requestId: string }) => e.requestId)).toEqual([ids[0]]);
    expect(page2.body.nextCursor).toBeNull();

    const byStaff = await api('GET', `/admin/v1/audit-log?staffId=${first.staffId}&targetId=${p.id}`, { token: admin });
    expect(byStaff.body.items.length).toBeGreaterThanOrEqual(3);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await api('GET', `/admin/v1/audit-log?targetId=${p.id}&from=${future}`, { token: admin })).body.items).toEqual([]);
    expect(
      (await api('GET', `/admin/v1/audit-log?targetId=${p.id}&to=${new Date(Date.now() - 3600_000).toISOString()}`, { token: admin })).body
        .items,
    ).toEqual([]);
    expect((await api('GET', `/admin/v1/audit-log?from=${future}&to=${new Date().toISOString()}`, { token: admin })).status).toBe(400);

    const one = await api('GET', `/admin/v1/audit-log/${first.id}`, { token: admin });
    expect(one.status).toBe(200);
    expect(one.body).toEqual(first);
    const missing = await api('GET', '/admin/v1/audit-log/aud_0000000000000000', { token: admin });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('audit.entry_not_found');
  });

  it('there is no route that changes or removes an entry', async () => {
    const admin = await adminToken();
    for (const method of ['PATCH', 'PUT', 'DELETE'])
      expect((await api(method, '/admin/v1/audit-log/aud_0000000000000000', { token: admin, body: {} })).status).toBe(404);
    const doc = await api('GET', '/openapi.json');
    const ops = Object.entries(doc.body.paths as Record<string, Record<string, { operationId?: string }>>)
      .filter(([p]) => p.startsWith('/admin/v1/audit-log'))
      .flatMap(([p, m]) => Object.entries(m).map(([method, op]) => `${method} ${p} ${op.operationId}`));
    expect(ops.sort()).toEqual(['get /admin/v1/audit-log listAuditLog', 'get /admin/v1/audit-log/{id} getAuditEntry']);
  });
});

describe('audit helpers', () => {
  it('redact removes secrets and personal data at any depth; code only on auth routes', () => {
    const v = redact({
      password: 'p',
      nested: { refreshToken: 't', list: [{ secret: 's', phone: '138', ok: 1 }] },
      requireToken: true,
      code: 'c',
    });
    expect(v).toEqual({
      password: REDACTED,
      nested: { refreshToken: REDACTED, list: [{ secret: REDACTED, phone: REDACTED, ok: 1 }] },
      requireToken: true,
      code: 'c',
    });
    expect(redact({ code: 'wx-code' }, { codeIsSecret: true })).toEqual({ code: REDACTED });
  });

  it('capJson keeps small values and replaces big ones with a preview', () => {
    expect(capJson({ a: 1 })).toEqual({ a: 1 });
    const big = capJson({ text: 'x'.repeat(20_000) }) as { truncated: boolean; chars: number; preview: string };
    expect(big.truncated).toBe(true);
    expect(big.chars).toBeGreaterThan(20_000);
    expect(JSON.stringify(big).length).toBeLessThan(8 * 1024);
  });

  it('targetOf names the target from the last path param, or the created id', () => {
    expect(targetOf('/admin/v1/products/:productId', { productId: 'prd_1' }, null)).toEqual({ type: 'product', id: 'prd_1' });
    expect(targetOf('/admin/v1/after-sales/:afterSaleId/review', { afterSaleId: 'as_1' }, null)).toEqual({
      type: 'after_sale',
      id: 'as_1',
    });
    expect(targetOf('/admin/v1/staff/:id', { id: 'stf_1' }, null)).toEqual({ type: 'staff', id: 'stf_1' });
    expect(targetOf('/admin/v1/categories', {}, 'cat_1')).toEqual({ type: 'category', id: 'cat_1' });
    expect(targetOf('/admin/v1/flash-sales', {}, 'fls_1')).toEqual({ type: 'flash_sale', id: 'fls_1' });
  });
});
