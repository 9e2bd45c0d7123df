import { describe, expect, it } from 'vitest';
import { api, adminToken, env, shopperToken, staffToken } from '../../../test/helpers';

describe('staff auth and roles', () => {
  it('the seeded admin signs in with SEED_ADMIN_PASSWORD; the hash is not the password', async () => {
    const r = await api('POST', '/admin/v1/auth/login', { body: { email: 'admin@edgemall.local', password: env.SEED_ADMIN_PASSWORD } });
    expect(r.status).toBe(200);
    expect(r.body.staff.role).toBe('admin');
    const row = await env.DB.prepare("SELECT password_hash FROM staff WHERE email = 'admin@edgemall.local'").first<{
      password_hash: string;
    }>();
    expect(row?.password_hash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(row?.password_hash).not.toContain(env.SEED_ADMIN_PASSWORD);
  });

  it('wrong password is 401; five failures lock the account', async () => {
    await adminToken();
    const admin = await adminToken();
    await api('POST', '/admin/v1/staff', {
      token: admin,
      body: { email: 'lock@edgemall.test', name: 'L', password: 'correct-horse-1', role: 'operator' },
    });
    for (let i = 0; i < 5; i++) {
      const r = await api('POST', '/admin/v1/auth/login', { body: { email: 'lock@edgemall.test', password: 'wrong' } });
      expect(r.status).toBe(401);
    }
    const locked = await api('POST', '/admin/v1/auth/login', { body: { email: 'lock@edgemall.test', password: 'correct-horse-1' } });
    expect(locked.status).toBe(423);
  });

  it('a shopper token cannot call admin routes', async () => {
    const token = await shopperToken('sneaky');
    const r = await api('GET', '/admin/v1/staff', { token });
    expect(r.status).toBe(403);
  });

  it('only admins manage staff; an operator is refused', async () => {
    const op = await staffToken('operator');
    const r = await api('POST', '/admin/v1/staff', {
      token: op,
      body: { email: 'x@edgemall.test', name: 'x', password: 'correct-horse-2', role: 'admin' },
    });
    expect(r.status).toBe(403);
    expect((await api('GET', '/admin/v1/staff', { token: op })).status).toBe(403);
  });

  it('merchant staff require an existing merchant', async () => {
    const admin = await adminToken();
    const missing = await api('POST', '/admin/v1/staff', {
      token: admin,
      body: { email: 'm@edgemall.test', name: 'm', password: 'correct-horse-3', role: 'merchant' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.issues[0].path).toBe('merchantId');
    const unknown = await api('POST', '/admin/v1/staff', {
      token: admin,
      body: { email: 'm@edgemall.test', name: 'm', password: 'correct-horse-3', role: 'merchant', merchantId: 'mch_nope' },
    });
    expect(unknown.status).toBe(404);
  });

  it('no token on an admin route is 401', async () => {
    const r = await api('GET', '/admin/v1/staff');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('auth.unauthorized');
  });
});
