import { describe, expect, it } from 'vitest';
import { adminToken, api, env } from '../../../test/helpers';

/** Bursts of concurrent adminLogin requests: no more password checks than the sequential limit (5). */
const PASSWORD = 'correct-horse-9';
const login = (email: string, password: string) => api('POST', '/admin/v1/auth/login', { body: { email, password } });

async function newStaff(email: string): Promise<void> {
  const r = await api('POST', '/admin/v1/staff', {
    token: await adminToken(),
    body: { email, name: 'B', password: PASSWORD, role: 'operator' },
  });
  expect(r.status).toBe(201);
}

const count = (rs: { status: number }[], status: number) => rs.filter((r) => r.status === status).length;

describe('staff login under a concurrent burst', () => {
  it('40 concurrent wrong passwords: exactly 5 are checked, the rest are 423, then the right one is refused', async () => {
    await newStaff('burst1@edgemall.test');
    const rs = await Promise.all(Array.from({ length: 40 }, () => login('burst1@edgemall.test', 'wrong-password')));
    expect(count(rs, 401)).toBe(5);
    expect(count(rs, 423)).toBe(35);
    expect(rs.find((r) => r.status === 423)!.body.error.code).toBe('staff.locked');
    const right = await login('burst1@edgemall.test', PASSWORD);
    expect(right.status).toBe(423);
  });

  it('30 wrong and the right one at once: at most 5 guesses are checked in all', async () => {
    await newStaff('burst2@edgemall.test');
    const guesses = Array.from({ length: 31 }, (_, i) => (i === 17 ? PASSWORD : `wrong-${i}`));
    const rs = await Promise.all(guesses.map((p) => login('burst2@edgemall.test', p)));
    const checked = count(rs, 401) + count(rs, 200);
    expect(checked).toBeLessThanOrEqual(5);
    expect(count(rs, 423)).toBe(31 - checked);
    expect(count(rs, 200)).toBeLessThanOrEqual(1);
    // The wrong guesses that raced the right password still count, so the account is locked.
    const row = await env.DB.prepare('SELECT failed_logins, locked_until FROM staff WHERE email = ?')
      .bind('burst2@edgemall.test')
      .first<{ failed_logins: number; locked_until: number | null }>();
    expect(row!.failed_logins).toBe(5);
    expect((await login('burst2@edgemall.test', PASSWORD)).status).toBe(423);
  });

  it('a lock that has run out admits a new count; a right password then clears it', async () => {
    await newStaff('burst3@edgemall.test');
    await Promise.all(Array.from({ length: 8 }, () => login('burst3@edgemall.test', 'wrong')));
    expect((await login('burst3@edgemall.test', PASSWORD)).status).toBe(423);
    await env.DB.prepare('UPDATE staff SET locked_until = ? WHERE email = ?')
      .bind(Date.now() - 1, 'burst3@edgemall.test')
      .run();
    expect((await login('burst3@edgemall.test', 'wrong')).status).toBe(401);
    expect((await login('burst3@edgemall.test', PASSWORD)).status).toBe(200);
    const row = await env.DB.prepare('SELECT failed_logins, locked_until FROM staff WHERE email = ?')
      .bind('burst3@edgemall.test')
      .first<{ failed_logins: number; locked_until: number | null }>();
    expect(row).toEqual({ failed_logins: 0, locked_until: null });
  });
});
