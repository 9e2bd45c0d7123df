import { afterEach, describe, expect, it } from 'vitest';
import { api, adminToken, staffToken } from '../../test/helpers';
import { clockNow, setClockOffset } from '../shared/clock';

const DAY = 86_400_000;

afterEach(() => setClockOffset(0));

describe('the development clock', () => {
  it('moves forward for requests and the cron, never behind real time, and resets', async () => {
    const token = await adminToken();
    const before = Date.now();
    const moved = await api('POST', '/admin/v1/dev/clock', { token, body: { advanceMs: 3 * DAY } });
    expect(moved.status).toBe(200);
    expect(moved.body.offsetMs).toBe(3 * DAY);
    expect(Date.parse(moved.body.now)).toBeGreaterThanOrEqual(before + 3 * DAY);
    expect(clockNow() - Date.now()).toBe(3 * DAY);
    // access tokens are checked against the server clock: the old one has lapsed, a new sign-in works
    expect((await api('GET', '/admin/v1/dev/clock', { token })).status).toBe(401);
    const later = await adminToken();
    const again = await api('POST', '/admin/v1/dev/clock', { token: later, body: { advanceMs: DAY } });
    expect(again.body.offsetMs).toBe(4 * DAY);
    const fresh = await adminToken();
    const cron = await api('POST', '/admin/v1/dev/run-cron', { token: fresh });
    expect(cron.status).toBe(200);
    for (const body of [{ offsetMs: -1 }, {}, { advanceMs: DAY, offsetMs: 0 }, { advanceMs: 0 }]) {
      const bad = await api('POST', '/admin/v1/dev/clock', { token: fresh, body });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('validation.failed');
    }
    expect((await api('POST', '/admin/v1/dev/clock', { token: fresh, body: { offsetMs: 0 } })).body.offsetMs).toBe(0);
    expect(Math.abs(clockNow() - Date.now())).toBeLessThan(5);
  });

  it('is for admins only', async () => {
    const support = await staffToken('support');
    expect((await api('POST', '/admin/v1/dev/clock', { token: support, body: { advanceMs: DAY } })).status).toBe(403);
    expect((await api('GET', '/admin/v1/dev/clock', {})).status).toBe(401);
    expect(clockNow() - Date.now()).toBeLessThan(5);
  });
});
