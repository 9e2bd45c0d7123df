import { describe, expect, it, vi } from 'vitest';
import { adminToken, api, env, shopperToken, staffToken } from '../../../../test/helpers';
import { systemCtx } from '../../../../test/ctx';
import { batchFailure } from '../../../shared/db';
import { pointsBalance, pointsEntryStatement, spendPointsStatements } from '../points.service';
import { spendWalletStatements, walletBalance, walletEntryStatement } from '../wallet/wallet.service';
import { planDeduction } from './deduction';
import { DEFAULT_POINTS_RULES } from './rules.service';
import { expirePointsDue, nextExpiry, shanghaiMonthStart } from './expiry.service';

async function shopper(code: string) {
  const token = await shopperToken(code);
  const me = await api('GET', '/store/v1/me', { token });
  return { token, userId: me.body.id as string };
}
/** An instant in Beijing time: bj(2026, 4, 1, 0, 5) = 2026-04-01 00:05 +08:00. */
const expiredPoints = (r: Awaited<ReturnType<typeof expirePointsDue>>) => ('points' in r ? r.points : 0);
const bj = (y: number, m: number, d: number, h = 12, min = 0) => Date.UTC(y, m - 1, d, h - 8, min);

describe('the ledgers never go below 0, also under a burst, and apply each ref once', () => {
  it('50 concurrent spends from one shopper: only the affordable ones land, the sum stays consistent; a repeated ref spends nothing', async () => {
    const ctx = systemCtx();
    const userId = 'usr_burst_points_01';
    await env.DB.batch([pointsEntryStatement(ctx, { userId, delta: 1000, reason: 'adjust', ref: 'test:burst-grant' })]);
    const spends = await Promise.all(
      [...Array(50).keys()].map((i) =>
        env.DB.batch(spendPointsStatements(ctx, { userId, amount: 30, reason: 'checkout', ref: `test:burst-${i}` })).then(
          () => 'ok',
          (e) => batchFailure(e),
        ),
      ),
    );
    expect(spends.filter((s) => s === 'ok').length).toBe(33);
    expect(spends.filter((s) => s === 'guard').length).toBe(17);
    expect(await pointsBalance(ctx, userId)).toBe(10);
    const rows = await env.DB.prepare("SELECT count(*) AS n, sum(delta) AS s FROM points_ledger WHERE user_id = ? AND reason = 'checkout'")
      .bind(userId)
      .first<{ n: number; s: number }>();
    expect(rows).toEqual({ n: 33, s: -990 });
    const landed = spends.findIndex((s) => s === 'ok');
    // a retry of a spend that landed: its ref is taken, nothing is written
    const again = await env.DB.batch(
      spendPointsStatements(ctx, { userId, amount: 5, reason: 'checkout', ref: `test:burst-${landed}` }),
    ).catch((e) => e);
    expect(batchFailure(again)).toBe('unique');
    expect(await pointsBalance(ctx, userId)).toBe(10);

    // the stored balance has the same guard
    const wUser = 'usr_burst_wallet_01';
    await env.DB.batch([walletEntryStatement(ctx, { userId: wUser, delta: 500, reason: 'adjust', ref: 'test:wgrant' })]);
    const w = await Promise.all(
      [...Array(20).keys()].map((i) =>
        env.DB.batch(spendWalletStatements(ctx, { userId: wUser, amount: 100, reason: 'checkout', ref: `test:w-${i}` })).then(
          () => 'ok',
          (e) => batchFailure(e),
        ),
      ),
    );
    expect(w.filter((s) => s === 'ok').length).toBe(5);
    expect(await walletBalance(ctx, wUser)).toBe(0);
  });
});

describe('planDeduction', () => {
  const rules = { ...DEFAULT_POINTS_RULES };
  it('caps points at the share, the balance at what is left, keeps 1 fen per line, and apportions exactly', () => {
    const lines = [
      { lineId: 'a', payable: 3000 },
      { lineId: 'b', payable: 1001 },
    ];
    const p = planDeduction(lines, rules, { points: 100_000, balance: 100_000 }, { usePoints: 'max', useBalance: true });
    // 50% of 4001 = 2000 fen = 2000 points; the balance takes the rest but 1 fen per line
    expect(p.points).toMatchObject({ used: 2000, amount: 2000, maxPoints: 2000, usable: true, reason: null });
    expect(p.balance.used).toBe(4001 - 2000 - 2);
    const a = p.lines.get('a')!;
    const b = p.lines.get('b')!;
    expect(a.pointsFen + b.pointsFen).toBe(2000);
    expect(a.points + b.points).toBe(2000);
    expect(a.balanceFen + b.balanceFen).toBe(1999);
    expect(3000 - a.pointsFen - a.balanceFen).toBe(1);
    expect(1001 - b.pointsFen - b.balanceFen).toBe(1);
    // a rate where one point is worth less than a fen: points charged are the fewest worth the fen taken
    const r2 = planDeduction(
      [{ lineId: 'a', payable: 1000 }],
      { ...rules, pointsPerYuan: 1000, minPoints: 0 },
      { points: 1234, balance: 0 },
      {
        usePoints: 'max',
        useBalance: false,
      },
    );
    expect(r2.points).toMatchObject({ amount: 123, used: 1230 });
    // minimum, off, explicit amounts
    expect(planDeduction(lines, rules, { points: 99, balance: 0 }, { usePoints: 'max', useBalance: false }).points).toMatchObject({
      usable: false,
      used: 0,
      reason: '满100积分可用',
    });
    expect(
      planDeduction(lines, { ...rules, enabled: false }, { points: 500, balance: 0 }, { usePoints: 'max', useBalance: false }).points.used,
    ).toBe(0);
    expect(planDeduction(lines, rules, { points: 500, balance: 0 }, { usePoints: 300, useBalance: false }).points.used).toBe(300);
    expect(planDeduction(lines, rules, { points: 500, balance: 0 }, { usePoints: 50, useBalance: false }).points).toMatchObject({
      used: 0,
      reason: '至少使用100积分',
    });
    expect(planDeduction(lines, rules, { points: 500, balance: 0 }, { usePoints: 0, useBalance: false }).points.used).toBe(0);
  });
});

describe('points rules', () => {
  it('defaults until saved; validated; members.write to change, members.read to see; audit-logged', async () => {
    const admin = await adminToken();
    const r = await api('GET', '/admin/v1/points-rules', { token: admin });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      enabled: true,
      pointsPerYuan: 100,
      maxSharePercent: 50,
      minPoints: 100,
      expiryMonths: 12,
      updatedAt: null,
    });
    const good = { enabled: true, pointsPerYuan: 100, maxSharePercent: 30, minPoints: 200, expiryMonths: 6 };
    for (const bad of [
      { ...good, pointsPerYuan: 0 },
      { ...good, maxSharePercent: 101 },
      { ...good, maxSharePercent: 0 },
      { ...good, minPoints: -1 },
      { ...good, expiryMonths: 1.5 },
      { ...good, enabled: 'yes' },
      { pointsPerYuan: 100 },
    ]) {
      const x = await api('PUT', '/admin/v1/points-rules', { token: admin, body: bad });
      expect(x.status, JSON.stringify(bad)).toBe(400);
      expect(x.body.error.code).toBe('validation.failed');
    }
    const support = await staffToken('support');
    expect((await api('GET', '/admin/v1/points-rules', { token: support })).status).toBe(200);
    expect((await api('PUT', '/admin/v1/points-rules', { token: support, body: good })).status).toBe(403);
    expect((await api('GET', '/admin/v1/points-rules', { token: await staffToken('merchant', 'mch_platform') })).status).toBe(403);
    expect((await api('GET', '/admin/v1/points-rules', { token: await shopperToken('rules-shopper') })).status).toBe(403);
    expect((await api('PUT', '/admin/v1/points-rules', { body: good })).status).toBe(401);

    const op = await staffToken('operator');
    const saved = await api('PUT', '/admin/v1/points-rules', { token: op, body: good, headers: { 'x-request-id': 'rid-rules-1' } });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ ...good, updatedAt: expect.any(String) });
    expect((await api('GET', '/admin/v1/points-rules', { token: admin })).body).toMatchObject(good);
    await vi.waitFor(async () => {
      const log = await api('GET', '/admin/v1/audit-log?action=updatePointsRules', { token: admin });
      expect(log.body.items.some((e: { requestId: string }) => e.requestId === 'rid-rules-1')).toBe(true);
    });
    // back to the defaults for the other tests in this file
    await api('PUT', '/admin/v1/points-rules', {
      token: admin,
      body: { enabled: true, pointsPerYuan: 100, maxSharePercent: 50, minPoints: 100, expiryMonths: 12 },
    });
  });
});

describe('ledger screens and staff adjustments', () => {
  it('listPointsLedger filters earned and spent, with the balance; adjustments are "adjust" with the reason as note, audit-logged', async () => {
    const admin = await adminToken();
    const s = await shopper('ledger-filter');
    const add = await api('POST', `/admin/v1/users/${s.userId}/points`, {
      token: admin,
      body: { delta: 500, reason: '客服补偿' },
      headers: { 'x-request-id': 'rid-adjust-points-1' },
    });
    expect(add.status).toBe(201);
    expect(add.body.entry).toMatchObject({ reason: 'adjust', note: '客服补偿', delta: 500 });
    await api('POST', `/admin/v1/users/${s.userId}/points`, { token: admin, body: { delta: -120, reason: '误发收回' } });
    const all = await api('GET', '/store/v1/me/points/ledger', { token: s.token });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ balance: 380, rules: { pointsPerYuan: 100, minPoints: 100 } });
    expect(all.body.items.map((e: { delta: number }) => e.delta)).toEqual([-120, 500]);
    const earn = await api('GET', '/store/v1/me/points/ledger?type=earn', { token: s.token });
    expect(earn.body.items.map((e: { delta: number }) => e.delta)).toEqual([500]);
    const spend = await api('GET', '/store/v1/me/points/ledger?type=spend&limit=1', { token: s.token });
    expect(spend.body.items.map((e: { delta: number }) => e.delta)).toEqual([-120]);
    expect((await api('GET', '/store/v1/me/points/ledger?type=bogus', { token: s.token })).status).toBe(400);
    expect((await api('GET', '/store/v1/me/points/ledger')).status).toBe(401);
    expect((await api('GET', '/store/v1/me/points/ledger', { token: admin })).status).toBe(403);
    // getMyPoints keeps working
    expect((await api('GET', '/store/v1/me/points', { token: s.token })).body.balance).toBe(380);
    await vi.waitFor(async () => {
      const log = await api('GET', '/admin/v1/audit-log?action=adjustPoints', { token: admin });
      expect(log.body.items.some((e: { requestId: string }) => e.requestId === 'rid-adjust-points-1')).toBe(true);
    });
    // staff read: support may look, not change; merchants may not look
    const support = await staffToken('support');
    expect((await api('GET', `/admin/v1/users/${s.userId}/points?type=spend`, { token: support })).body.items.length).toBe(1);
    expect((await api('POST', `/admin/v1/users/${s.userId}/points`, { token: support, body: { delta: 5, reason: 'x' } })).status).toBe(403);
    const merchant = await staffToken('merchant', 'mch_platform');
    expect((await api('GET', `/admin/v1/users/${s.userId}/points`, { token: merchant })).status).toBe(403);
  });

  it('adjustBalance: reason required, idempotent on ref, never below 0; the shopper sees 余额明细; lookup by id', async () => {
    const admin = await adminToken();
    const s = await shopper('wallet-adjust');
    const path = `/admin/v1/users/${s.userId}/wallet`;
    expect((await api('POST', path, { token: admin, body: { delta: 1000 } })).status).toBe(400);
    expect((await api('POST', path, { token: admin, body: { delta: 10.5, reason: 'x' } })).status).toBe(400);
    const body = { delta: 1000, reason: '售后补偿', ref: 'comp-wallet-1' };
    const first = await api('POST', path, { token: admin, body });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ balance: 1000, replayed: false, entry: { reason: 'adjust', note: '售后补偿', delta: 1000 } });
    const repeats = await Promise.all([0, 1, 2].map(() => api('POST', path, { token: admin, body })));
    expect(repeats.map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await api('POST', path, { token: admin, body: { ...body, delta: 5 } })).body.error.code).toBe('members.ref_conflict');
    const over = await api('POST', path, { token: admin, body: { delta: -1001, reason: '收回' } });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'members.not_enough_balance', details: { balance: 1000 } });
    // concurrent take-backs: only what the balance covers
    const takes = await Promise.all(
      [...Array(6).keys()].map(() => api('POST', path, { token: admin, body: { delta: -300, reason: '收回' } })),
    );
    expect(takes.filter((r) => r.status === 201).length).toBe(3);
    const mine = await api('GET', '/store/v1/me/wallet', { token: s.token });
    expect(mine.body.balance).toBe(100);
    expect(mine.body.items.length).toBe(4);
    expect(
      (await api('GET', '/store/v1/me/wallet?type=earn', { token: s.token })).body.items.map((e: { delta: number }) => e.delta),
    ).toEqual([1000]);
    const support = await staffToken('support');
    expect((await api('GET', path, { token: support })).body.balance).toBe(100);
    expect((await api('POST', path, { token: support, body: { delta: 1, reason: 'x' } })).status).toBe(403);
    expect((await api('POST', path, { token: s.token, body: { delta: 1, reason: 'x' } })).status).toBe(403);
    expect((await api('POST', path, { body: { delta: 1, reason: 'x' } })).status).toBe(401);
    expect(
      (await api('POST', '/admin/v1/users/usr_doesnotexist0000/wallet', { token: admin, body: { delta: 1, reason: 'x' } })).status,
    ).toBe(404);

    const found = await api('GET', `/admin/v1/members/lookup?q=${s.userId}`, { token: support });
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ userId: s.userId, balance: 100, points: 0 });
    const none = await api('GET', '/admin/v1/members/lookup?q=13999999999', { token: admin });
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('members.user_not_found');
  });
});

describe('points expiry: FIFO by earn date, by the cron, exactly once', () => {
  it('expires what is left of each month at the end of the 12th month after it, once, with spends using the oldest points', async () => {
    const userId = 'usr_expiry_fifo_01';
    const at = (ms: number) => systemCtx(ms);
    const write = (ms: number, delta: number, ref: string, reason = 'checkin') =>
      delta > 0
        ? env.DB.batch([pointsEntryStatement(at(ms), { userId, delta, reason, ref })])
        : env.DB.batch(spendPointsStatements(at(ms), { userId, amount: -delta, reason, ref }));
    await write(bj(2025, 1, 15), 100, 'test:exp-a'); // A: January 2025
    await write(bj(2025, 3, 10), 200, 'test:exp-b'); // B: March 2025
    await write(bj(2025, 4, 2), -150, 'test:exp-spend', 'checkout'); // uses all of A and 50 of B
    await write(bj(2025, 5, 1), -40, 'test:exp-spend2', 'checkout');
    await write(bj(2025, 5, 3), 40, 'test:exp-back', 'checkout_refund'); // that spend given back: not new points
    await write(bj(2026, 2, 20), 50, 'test:exp-c'); // C: February 2026

    expect(shanghaiMonthStart(bj(2026, 4, 1, 0, 5))).toBe(bj(2026, 4, 1, 0, 0));
    // 1 Feb 2026: January 2025's points expire, but all of A was spent → nothing
    const feb = await expirePointsDue(at(bj(2026, 2, 1, 0, 1)));
    expect(feb).toMatchObject({ date: '2026-02-01', points: 0 });
    expect(await pointsBalance(at(bj(2026, 2, 2)), userId)).toBe(200);
    // mid-March: the next expiry (1 April) will take the 150 left of B; C lasts longer
    expect(await nextExpiry(at(bj(2026, 3, 15)), userId)).toEqual({
      points: 150,
      at: new Date(bj(2026, 4, 1, 0)).toISOString(),
      lastDay: '2026-03-31',
    });
    expect(expiredPoints(await expirePointsDue(at(bj(2026, 3, 1, 0, 1))))).toBe(0);

    // 1 April 2026, 00:01: two runs at once, then the same minute again, then the next day
    const runs = await Promise.all([expirePointsDue(at(bj(2026, 4, 1, 0, 1))), expirePointsDue(at(bj(2026, 4, 1, 0, 1)))]);
    expect(runs.map(expiredPoints)).toContain(150);
    await expirePointsDue(at(bj(2026, 4, 1, 0, 1)));
    expect(await expirePointsDue(at(bj(2026, 4, 2, 3, 0)))).toEqual({ skipped: '2026-04-01 done' });
    // even with the run's record gone, the ledger's ref keeps it once
    await env.DB.prepare("DELETE FROM points_expiry_runs WHERE expiry_date = '2026-04-01'").run();
    await expirePointsDue(at(bj(2026, 4, 1, 0, 2)));
    const expired = await env.DB.prepare("SELECT count(*) AS n, sum(delta) AS s FROM points_ledger WHERE user_id = ? AND reason = 'expire'")
      .bind(userId)
      .first<{ n: number; s: number }>();
    expect(expired).toEqual({ n: 1, s: -150 });
    expect(await pointsBalance(at(bj(2026, 4, 2)), userId)).toBe(50);
    expect(await nextExpiry(at(bj(2026, 4, 2)), userId)).toBeNull();
    // February 2026's C expires at the start of March 2027
    expect(expiredPoints(await expirePointsDue(at(bj(2027, 3, 1, 0, 1))))).toBeGreaterThanOrEqual(50);
    expect(await pointsBalance(at(bj(2027, 3, 2)), userId)).toBe(0);
  });
});
