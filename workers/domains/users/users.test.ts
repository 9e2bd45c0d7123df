import { describe, expect, it } from 'vitest';
import { api, env } from '../../../test/helpers';

describe('shopper login', () => {
  it('sandbox: the same code is the same shopper, another code another shopper', async () => {
    const a1 = await api('POST', '/store/v1/auth/wx-login', { body: { code: 'alice' } });
    const a2 = await api('POST', '/store/v1/auth/wx-login', { body: { code: 'alice' } });
    const b = await api('POST', '/store/v1/auth/wx-login', { body: { code: 'bob' } });
    expect(a1.status).toBe(200);
    expect(a1.body.user.id).toMatch(/^usr_/);
    expect(a1.body.isNew).toBe(true);
    expect(a2.body.isNew).toBe(false);
    expect(a2.body.user.id).toBe(a1.body.user.id);
    expect(b.body.user.id).not.toBe(a1.body.user.id);
    const me = await api('GET', '/store/v1/me', { token: a1.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(a1.body.user.id);
  });

  it('concurrent first logins with one code create one shopper', async () => {
    const rs = await Promise.all(Array.from({ length: 8 }, () => api('POST', '/store/v1/auth/wx-login', { body: { code: 'race' } })));
    expect(new Set(rs.map((r) => r.body.user.id)).size).toBe(1);
  });

  it('refresh rotates: the old refresh token stops working', async () => {
    const login = await api('POST', '/store/v1/auth/wx-login', { body: { code: 'rotator' } });
    const r1 = await api('POST', '/store/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(r1.status).toBe(200);
    expect(r1.body.refreshToken).not.toBe(login.body.refreshToken);
    const again = await api('POST', '/store/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(again.status).toBe(401);
    expect((await api('GET', '/store/v1/me', { token: r1.body.accessToken })).status).toBe(200);
  });

  it('logout revokes the access token at once', async () => {
    const login = await api('POST', '/store/v1/auth/wx-login', { body: { code: 'leaver' } });
    const token = login.body.accessToken;
    expect((await api('POST', '/store/v1/auth/logout', { token })).status).toBe(200);
    const me = await api('GET', '/store/v1/me', { token });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('auth.session_ended');
    const refresh = await api('POST', '/store/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(refresh.status).toBe(401);
  });

  it('a tampered token is 401', async () => {
    const token = (await api('POST', '/store/v1/auth/wx-login', { body: { code: 'x' } })).body.accessToken as string;
    const r = await api('GET', '/store/v1/me', { token: token.slice(0, -3) + 'AAA' });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('auth.invalid_token');
  });

  it('H5 phone + SMS code login; phone stored encrypted and shown masked', async () => {
    const sent = await api('POST', '/store/v1/auth/sms-code', { body: { phone: '13800138000' } });
    expect(sent.status).toBe(200);
    expect(sent.body.sandboxCode).toMatch(/^\d{6}$/);
    const wrongCode = sent.body.sandboxCode === '000000' ? '111111' : '000000';
    const wrong = await api('POST', '/store/v1/auth/sms-login', { body: { phone: '13800138000', code: wrongCode } });
    expect(wrong.status).toBe(400);
    const ok = await api('POST', '/store/v1/auth/sms-login', { body: { phone: '13800138000', code: sent.body.sandboxCode } });
    expect(ok.status).toBe(200);
    expect(ok.body.user.phoneMasked).toBe('138****8000');
    const row = await env.DB.prepare('SELECT phone_enc FROM users WHERE id = ?').bind(ok.body.user.id).first<{ phone_enc: string }>();
    expect(row?.phone_enc).toMatch(/^k2\./);
    expect(row?.phone_enc).not.toContain('13800138000');
    // the code is single use
    const reuse = await api('POST', '/store/v1/auth/sms-login', { body: { phone: '13800138000', code: sent.body.sandboxCode } });
    expect(reuse.status).toBe(400);
  });

  it('rejects a second SMS code within a minute', async () => {
    expect((await api('POST', '/store/v1/auth/sms-code', { body: { phone: '13900139000' } })).status).toBe(200);
    const again = await api('POST', '/store/v1/auth/sms-code', { body: { phone: '13900139000' } });
    expect(again.status).toBe(429);
    expect(again.body.error.code).toBe('users.sms_too_frequent');
  });

  it('bad phone is a 400 with the field path', async () => {
    const r = await api('POST', '/store/v1/auth/sms-code', { body: { phone: '12345' } });
    expect(r.status).toBe(400);
    expect(r.body.error.details.issues[0].path).toBe('phone');
  });
});
