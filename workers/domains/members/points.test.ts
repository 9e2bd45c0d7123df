import { describe, expect, it } from 'vitest';
import { adminToken, api, env, shopperToken, staffToken } from '../../../test/helpers';
import { systemCtx } from '../../../test/ctx';
import { pointsBalance, pointsEntryStatement, spendPointsStatements } from './points.service';
import { batchFailure } from '../../shared/db';

async function shopper(code: string) {
  const token = await shopperToken(code);
  const me = await api('GET', '/store/v1/me', { token });
  return { token, userId: me.body.id as string };
}
const adjust = (token: string, userId: string, body: unknown) => api('POST', `/admin/v1/users/${userId}/points`, { token, body });

describe('adjustPoints and getMyPoints', () => {
  it('grants points; the shopper sees the balance and entries newest first, paginated', async () => {
    const admin = await adminToken();
    const s = await shopper('pts-grant');
    const empty = await api('GET', '/store/v1/me/points', { token: s.token });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ balance: 0, items: [], nextCursor: null });

    const r = await adjust(admin, s.userId, { delta: 100, reason: '客服补偿' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      balance: 100,
      replayed: false,
      entry: { userId: s.userId, delta: 100, reason: 'adjust', note: '客服补偿' },
    });
    expect(r.body.entry.ref).toMatch(/^adjust:/);
    for (const d of [20, 30]) expect((await adjust(admin, s.userId, { delta: d, reason: '活动' })).status).toBe(201);

    const p1 = await api('GET', '/store/v1/me/points?limit=2', { token: s.token });
    expect(p1.body.balance).toBe(150);
    expect(p1.body.items.map((e: any) => e.delta)).toEqual([30, 20]);
    expect(p1.body.nextCursor).toBeTruthy();
    const p2 = await api('GET', `/store/v1/me/points?limit=2&cursor=${p1.body.nextCursor}`, { token: s.token });
    expect(p2.body.items.map((e: any) => e.delta)).toEqual([100]);
    expect(p2.body.nextCursor).toBeNull();
    // staff can read it too
    expect((await api('GET', `/admin/v1/users/${s.userId}/points`, { token: admin })).body.balance).toBe(150);
  });

  it('is idempotent on ref: a repeat returns the first entry (200) and writes nothing; a different use of the ref is 409', async () => {
    const admin = await adminToken();
    const s = await shopper('pts-idem');
    const body = { delta: 50, reason: '双十一补偿', ref: 'comp-2026-11-11' };
    const first = await adjust(admin, s.userId, body);
    expect(first.status).toBe(201);
    const again = await adjust(admin, s.userId, body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ replayed: true, balance: 50, entry: { id: first.body.entry.id } });
    // concurrent repeats of a fresh ref also land once
    const burst = await Promise.all([0, 1, 2, 3, 4].map(() => adjust(admin, s.userId, { ...body, ref: 'burst-ref-1' })));
    expect(burst.filter((r) => r.status === 201).length).toBe(1);
    expect(burst.filter((r) => r.status === 200).length).toBe(4);
    expect((await api('GET', '/store/v1/me/points', { token: s.token })).body.balance).toBe(100);
    const clash = await adjust(admin, s.userId, { ...body, delta: 70 });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('members.ref_conflict');
  });

  it('a negative adjustment cannot take the balance below 0', async () => {
    const admin = await adminToken();
    const s = await shopper('pts-neg');
    await adjust(admin, s.userId, { delta: 30, reason: 'grant' });
    const over = await adjust(admin, s.userId, { delta: -31, reason: 'take back' });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'members.not_enough_points', details: { balance: 30 } });
    const ok = await adjust(admin, s.userId, { delta: -30, reason: 'take back' });
    expect(ok.status).toBe(201);
    expect(ok.body.balance).toBe(0);
    // concurrent spends of the same points: exactly the affordable ones pass
    await adjust(admin, s.userId, { delta: 50, reason: 'grant' });
    const spends = await Promise.all([...Array(8).keys()].map(() => adjust(admin, s.userId, { delta: -20, reason: 'take back' })));
    expect(spends.filter((r) => r.status === 201).length).toBe(2);
    expect(spends.filter((r) => r.status === 409).length).toBe(6);
    expect((await api('GET', '/store/v1/me/points', { token: s.token })).body.balance).toBe(10);
  });

  it('validates input, needs members.write, and 404s an unknown user', async () => {
    const admin = await adminToken();
    const s = await shopper('pts-rbac');
    for (const bad of [
      { delta: 0, reason: 'x' },
      { delta: 1.5, reason: 'x' },
      { delta: 5, reason: '' },
      { delta: 5, reason: 'x', ref: 'has space' },
    ]) {
      const r = await adjust(admin, s.userId, bad);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('validation.failed');
    }
    const support = await adjust(await staffToken('support'), s.userId, { delta: 5, reason: 'x' });
    expect(support.status).toBe(403);
    expect((await adjust(s.token, s.userId, { delta: 5, reason: 'x' })).status).toBe(403);
    expect((await api('POST', `/admin/v1/users/${s.userId}/points`, { body: { delta: 5, reason: 'x' } })).status).toBe(401);
    expect((await adjust(await staffToken('operator'), s.userId, { delta: 5, reason: 'x' })).status).toBe(201);
    const ghost = await adjust(admin, 'usr_doesnotexist0000', { delta: 5, reason: 'x' });
    expect(ghost.status).toBe(404);
    expect(ghost.body.error.code).toBe('members.user_not_found');
    expect((await api('GET', '/store/v1/me/points')).status).toBe(401);
    expect((await api('GET', '/store/v1/me/points', { token: admin })).status).toBe(403);
  });
});

describe('ledger statements', () => {
  it('pointsEntryStatement writes a ref once; spendPointsStatements guards the balance', async () => {
    const ctx = systemCtx();
    const userId = 'usr_ledgertest00001';
    await env.DB.batch([pointsEntryStatement(ctx, { userId, delta: 40, reason: 'test', ref: 'test:grant-1' })]);
    const dup = await env.DB.batch([pointsEntryStatement(ctx, { userId, delta: 40, reason: 'test', ref: 'test:grant-1' })]).catch((e) => e);
    expect(batchFailure(dup)).toBe('unique');
    expect(await pointsBalance(ctx, userId)).toBe(40);
    const tooMuch = await env.DB.batch(spendPointsStatements(ctx, { userId, amount: 41, reason: 'test', ref: 'test:spend-1' })).catch(
      (e) => e,
    );
    expect(batchFailure(tooMuch)).toBe('guard');
    await env.DB.batch(spendPointsStatements(ctx, { userId, amount: 40, reason: 'test', ref: 'test:spend-2' }));
    expect(await pointsBalance(ctx, userId)).toBe(0);
    expect(() => spendPointsStatements(ctx, { userId, amount: 0, reason: 'test', ref: 'test:spend-3' })).toThrow();
  });
});
