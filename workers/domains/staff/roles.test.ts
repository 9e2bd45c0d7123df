import { describe, expect, it } from 'vitest';
import { api, adminToken, env, staffToken } from '../../../test/helpers';
import { makeMerchant } from '../../../test/aftersales';

let seq = 0;
/** A staff member created by the admin; returns its id, email, password and a signed-in token. */
async function newStaff(role: 'admin' | 'operator' | 'support' | 'merchant', merchantId?: string) {
  const admin = await adminToken();
  const email = `roles${++seq}-${crypto.randomUUID().slice(0, 6)}@edgemall.test`;
  const password = 'correct-horse-battery';
  const created = await api('POST', '/admin/v1/staff', { token: admin, body: { email, name: `员工${seq}`, password, role, merchantId } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const login = await api('POST', '/admin/v1/auth/login', { body: { email, password } });
  return {
    id: created.body.id as string,
    email,
    password,
    token: login.body.accessToken as string,
    refreshToken: login.body.refreshToken as string,
  };
}

const patch = (token: string, id: string, body: unknown) => api('PATCH', `/admin/v1/staff/${id}`, { token, body });

describe('listRoles', () => {
  it('lists every role with its Chinese label and permissions (admin only)', async () => {
    const admin = await adminToken();
    const r = await api('GET', '/admin/v1/roles', { token: admin });
    expect(r.status).toBe(200);
    expect(r.body.items.map((x: { role: string }) => x.role)).toEqual(['admin', 'operator', 'support', 'merchant']);
    const byRole = Object.fromEntries(r.body.items.map((x: { role: string }) => [x.role, x]));
    expect(byRole.admin.label).toBe('平台管理员');
    expect(byRole.operator.label).toBe('运营');
    expect(byRole.support.label).toBe('客服');
    expect(byRole.merchant.label).toBe('商家');
    const keys = (role: string) => byRole[role].permissions.map((p: { key: string }) => p.key);
    expect(keys('admin')).toContain('audit.read');
    expect(keys('admin')).toContain('staff.manage');
    expect(keys('support')).toEqual(['catalog.read', 'orders.read', 'aftersales.write', 'members.read', 'support.handle', 'support.faq']);
    expect(keys('operator')).not.toContain('audit.read');
    expect(keys('operator')).toContain('content.write');
    for (const role of ['support', 'merchant']) expect(keys(role)).not.toContain('content.write');
    for (const role of ['operator', 'support', 'merchant']) expect(keys(role)).not.toContain('staff.manage');
    expect(byRole.support.permissions[0]).toEqual({ key: 'catalog.read', label: '查看商品' });
  });

  it('is refused to operators and support', async () => {
    for (const role of ['operator', 'support'] as const)
      expect((await api('GET', '/admin/v1/roles', { token: await staffToken(role) })).status).toBe(403);
  });
});

describe('getStaff / updateStaff', () => {
  it('gets one staff member; unknown id is 404; non-admins 403', async () => {
    const admin = await adminToken();
    const s = await newStaff('operator');
    const r = await api('GET', `/admin/v1/staff/${s.id}`, { token: admin });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: s.id, email: s.email, role: 'operator', status: 'active', merchantId: null });
    expect(r.body.permissions).toContain('orders.write');
    expect((await api('GET', '/admin/v1/staff/stf_nope000000000000', { token: admin })).status).toBe(404);
    expect((await patch(admin, 'stf_nope000000000000', { name: 'x' })).status).toBe(404);
    expect((await api('GET', `/admin/v1/staff/${s.id}`, { token: s.token })).status).toBe(403);
    expect((await patch(s.token, s.id, { name: '自己改' })).status).toBe(403);
  });

  it('renames without ending sessions; validates the input', async () => {
    const admin = await adminToken();
    const s = await newStaff('support');
    const r = await patch(admin, s.id, { name: '客服小王' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: '客服小王', role: 'support', status: 'active' });
    expect((await api('GET', '/admin/v1/me', { token: s.token })).status).toBe(200);
    expect((await patch(admin, s.id, {})).status).toBe(400);
    expect((await patch(admin, s.id, { status: 'gone' })).status).toBe(400);
    expect((await patch(admin, s.id, { role: 'root' })).status).toBe(400);
  });

  it('role merchant needs an existing merchant; other roles take none', async () => {
    const admin = await adminToken();
    const s = await newStaff('operator');
    const noMerchant = await patch(admin, s.id, { role: 'merchant' });
    expect(noMerchant.status).toBe(400);
    expect(noMerchant.body.error.code).toBe('staff.merchant_required');
    expect((await patch(admin, s.id, { role: 'merchant', merchantId: 'mch_nope0000' })).status).toBe(404);
    expect((await patch(admin, s.id, { role: 'support', merchantId: 'mch_platform' })).status).toBe(400);
    const merchantId = await makeMerchant();
    const ok = await patch(admin, s.id, { role: 'merchant', merchantId });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ role: 'merchant', merchantId });
    expect(ok.body.permissions).not.toContain('promotions.write');
    // back to a platform role: the merchant link goes
    const back = await patch(admin, s.id, { role: 'operator' });
    expect(back.body).toMatchObject({ role: 'operator', merchantId: null });
  });

  it('a role change ends the old sessions: tokens carry the role', async () => {
    const admin = await adminToken();
    const s = await newStaff('operator');
    expect((await api('GET', '/admin/v1/me', { token: s.token })).status).toBe(200);
    expect((await patch(admin, s.id, { role: 'support' })).status).toBe(200);
    const me = await api('GET', '/admin/v1/me', { token: s.token });
    expect(me.status).toBe(401);
    const again = await api('POST', '/admin/v1/auth/login', { body: { email: s.email, password: s.password } });
    expect(again.body.staff.role).toBe('support');
  });

  it("disabling ends the staff member's sessions at once; they cannot sign in or refresh; enabling lets them back", async () => {
    const admin = await adminToken();
    const s = await newStaff('operator');
    expect((await api('GET', '/admin/v1/products', { token: s.token })).status).toBe(200);
    const r = await patch(admin, s.id, { status: 'disabled' });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('disabled');
    const after = await api('GET', '/admin/v1/products', { token: s.token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('auth.session_ended');
    const open = await env.DB.prepare(
      "SELECT count(*) AS n FROM sessions WHERE subject_type = 'staff' AND subject_id = ? AND revoked_at IS NULL",
    )
      .bind(s.id)
      .first<{ n: number }>();
    expect(open!.n).toBe(0);
    const login = await api('POST', '/admin/v1/auth/login', { body: { email: s.email, password: s.password } });
    expect(login.status).toBe(403);
    expect(login.body.error.code).toBe('staff.disabled');
    expect((await api('POST', '/admin/v1/auth/refresh', { body: { refreshToken: s.refreshToken } })).status).toBe(401);
    expect((await patch(admin, s.id, { status: 'active' })).status).toBe(200);
    expect((await api('POST', '/admin/v1/auth/login', { body: { email: s.email, password: s.password } })).status).toBe(200);
  });

  it('an admin cannot disable or demote themselves (409); another admin can', async () => {
    const a = await newStaff('admin');
    const selfDisable = await patch(a.token, a.id, { status: 'disabled' });
    expect(selfDisable.status).toBe(409);
    expect(selfDisable.body.error.code).toBe('staff.cannot_demote_self');
    expect((await patch(a.token, a.id, { role: 'operator' })).status).toBe(409);
    expect((await patch(a.token, a.id, { name: '改名可以' })).status).toBe(200);
    expect((await api('GET', '/admin/v1/me', { token: a.token })).body).toMatchObject({ role: 'admin', status: 'active' });
    const seeded = await adminToken();
    expect((await patch(seeded, a.id, { role: 'operator' })).status).toBe(200);
  });

  it('updateStaff and getStaff are documented', async () => {
    const doc = await api('GET', '/openapi.json');
    expect(doc.body.paths['/admin/v1/staff/{id}'].patch.operationId).toBe('updateStaff');
    expect(doc.body.paths['/admin/v1/staff/{id}'].get.operationId).toBe('getStaff');
    expect(doc.body.paths['/admin/v1/roles'].get.operationId).toBe('listRoles');
  });
});
