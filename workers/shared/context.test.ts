import { describe, expect, it } from 'vitest';
import { requireShopper, shopperId, shopperIdOrNull, type Actor } from './context';

const shopper: Actor = { kind: 'user', userId: 'usr_a', sessionId: 'ses_a' };
const staff: Actor = { kind: 'staff', staffId: 'stf_a', role: 'admin', merchantId: null, sessionId: 'ses_b' };

describe('shopper checks', () => {
  it('admit a shopper, and refuse others as requireUser does: nobody 401, staff or system 403', () => {
    expect(requireShopper(shopper)).toBe(shopper);
    expect(shopperId({ actor: shopper })).toBe('usr_a');
    expect(() => shopperId({ actor: { kind: 'anonymous' } })).toThrow(expect.objectContaining({ code: 'auth.unauthorized', status: 401 }));
    expect(() => shopperId({ actor: staff }, 'only the shopper pays')).toThrow(
      expect.objectContaining({ code: 'auth.forbidden', status: 403, message: 'only the shopper pays' }),
    );
    expect(() => requireShopper({ kind: 'system', name: 'cron' })).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('shopperIdOrNull never refuses', () => {
    expect(shopperIdOrNull({ actor: shopper })).toBe('usr_a');
    expect(shopperIdOrNull({ actor: staff })).toBeNull();
    expect(shopperIdOrNull({ actor: { kind: 'anonymous' } })).toBeNull();
  });
});
