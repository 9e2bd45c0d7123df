import { describe, expect, it } from 'vitest';
import { api } from '../../../test/helpers';

/** Bursts of concurrent smsLogin requests: no more codes checked than the sequential limit (5). */
const sendCode = async (phone: string): Promise<string> => {
  const r = await api('POST', '/store/v1/auth/sms-code', { body: { phone } });
  expect(r.status).toBe(200);
  return r.body.sandboxCode as string;
};
const smsLogin = (phone: string, code: string) => api('POST', '/store/v1/auth/sms-login', { body: { phone, code } });
const wrongCodes = (right: string, n: number) =>
  Array.from({ length: n }, (_, i) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0'));
const codes = (rs: { body: any }[], code: string) => rs.filter((r) => r.body?.error?.code === code).length;

describe('SMS login under a concurrent burst', () => {
  it('40 concurrent wrong codes: exactly 5 are checked, the rest are refused as locked, then the right code is refused', async () => {
    const phone = '13700137001';
    const right = await sendCode(phone);
    const rs = await Promise.all(wrongCodes(right, 40).map((c) => smsLogin(phone, c)));
    expect(codes(rs, 'users.sms_code_wrong')).toBe(5);
    expect(codes(rs, 'users.sms_code_locked')).toBe(35);
    expect(rs.every((r) => r.status === 400 || r.status === 429)).toBe(true);
    const late = await smsLogin(phone, right);
    expect(late.status).toBe(429);
    expect(late.body.error.code).toBe('users.sms_code_locked');
  });

  it('40 wrong and the right code at once: at most 5 codes are checked in all', async () => {
    const phone = '13700137002';
    const right = await sendCode(phone);
    const guesses = wrongCodes(right, 40);
    guesses.splice(23, 0, right);
    const rs = await Promise.all(guesses.map((c) => smsLogin(phone, c)));
    const signedIn = rs.filter((r) => r.status === 200).length;
    expect(codes(rs, 'users.sms_code_wrong') + signedIn).toBeLessThanOrEqual(5);
    expect(signedIn).toBeLessThanOrEqual(1);
    expect(codes(rs, 'users.sms_code_locked') + codes(rs, 'users.sms_code_expired')).toBe(
      41 - codes(rs, 'users.sms_code_wrong') - signedIn,
    );
  });

  it('the right code sent ten times at once signs in exactly once', async () => {
    const phone = '13700137003';
    const right = await sendCode(phone);
    const rs = await Promise.all(Array.from({ length: 10 }, () => smsLogin(phone, right)));
    expect(rs.filter((r) => r.status === 200).length).toBe(1);
    expect(rs.filter((r) => r.status !== 200).every((r) => r.status === 400 || r.status === 429)).toBe(true);
  });
});
