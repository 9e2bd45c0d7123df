import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, api, staffToken } from '../../../../test/helpers';
import { systemCtx } from '../../../../test/ctx';
import { shanghaiDay } from '../../../shared/calendar';
import type { Ctx } from '../../../shared/context';
import { pointsBalance, pointsEntryByRef } from '../points.service';
import { makeupCardBalance } from './cards';
import { checkIn, checkinRef, getCheckinCalendar, makeUpCheckin } from './checkin.service';

const DAY = 86_400_000;
const RULES = {
  enabled: true,
  dailyPoints: 5,
  cycleDays: 7,
  bonuses: [
    { day: 3, points: 5 },
    { day: 7, points: 20 },
  ],
  makeupWindowDays: 7,
};
/** 10:00 Beijing time on a Beijing date ("2027-01-10"), as epoch ms: well after the test shoppers registered. */
const bj = (day: string, hhmmss = '10:00:00') => Date.parse(`${day}T${hhmmss}+08:00`);

let admin: string;
beforeAll(async () => {
  admin = await adminToken();
  const r = await api('PUT', '/admin/v1/checkin/settings', { token: admin, body: RULES });
  expect(r.status).toBe(200);
});

async function shopper(code = `chk-${crypto.randomUUID().slice(0, 8)}`) {
  const r = await api('POST', '/store/v1/auth/wx-login', { body: { code } });
  return { token: r.body.accessToken as string, userId: r.body.user.id as string };
}
/** The shopper acting at a chosen instant (services read ctx.now, never the wall clock). */
const as = (userId: string, now: number): Ctx => ({ ...systemCtx(now), actor: { kind: 'user', userId, sessionId: 'test' } });
const grantCards = (userId: string, count: number, ref?: string) =>
  api('POST', `/admin/v1/users/${userId}/makeup-cards`, { token: admin, body: { count, reason: '测试', ref } });
const code = (e: unknown) => (e as { code?: string }).code;

describe('checkIn: once per Beijing day', () => {
  it('grants the daily points once; a second call the same day answers 200 alreadyCheckedIn and grants nothing', async () => {
    const s = await shopper();
    const first = await api('POST', '/store/v1/me/checkin', { token: s.token });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      alreadyCheckedIn: false,
      kind: 'normal',
      points: 5,
      bonusPoints: 0,
      streak: 1,
      currentStreak: 1,
      pointsBalance: 5,
    });
    expect(first.body.nextBonus).toEqual({ streakDay: 3, points: 5, inDays: 2 });
    const again = await api('POST', '/store/v1/me/checkin', { token: s.token });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      alreadyCheckedIn: true,
      day: first.body.day,
      points: 5,
      pointsBalance: 5,
      checkedInAt: first.body.checkedInAt,
    });
    const ledger = await api('GET', '/store/v1/me/points', { token: s.token });
    expect(ledger.body.items).toHaveLength(1);
    expect(ledger.body.items[0]).toMatchObject({ reason: 'checkin', ref: `checkin:${s.userId}:${first.body.day}`, delta: 5 });
  });

  it('a burst of 20 concurrent check-ins by one shopper grants exactly once', async () => {
    const s = await shopper();
    const burst = await Promise.all(Array.from({ length: 20 }, () => api('POST', '/store/v1/me/checkin', { token: s.token })));
    expect(burst.filter((r) => r.status === 201)).toHaveLength(1);
    expect(burst.filter((r) => r.status === 200 && r.body.alreadyCheckedIn)).toHaveLength(19);
    const ledger = await api('GET', '/store/v1/me/points', { token: s.token });
    expect(ledger.body).toMatchObject({ balance: 5 });
    expect(ledger.body.items).toHaveLength(1);
  });

  it('the day turns at 00:00 Beijing time: 15:59:59Z and 16:00:00Z are two days', async () => {
    const s = await shopper();
    const late = Date.parse('2027-01-10T15:59:59.999Z');
    const a = await checkIn(as(s.userId, Date.parse('2027-01-10T15:59:59Z')));
    expect(a).toMatchObject({ created: true, result: { day: '2027-01-10', streak: 1 } });
    expect((await checkIn(as(s.userId, late))).created).toBe(false);
    const b = await checkIn(as(s.userId, Date.parse('2027-01-10T16:00:00Z')));
    expect(b).toMatchObject({ created: true, result: { day: '2027-01-11', streak: 2, currentStreak: 2 } });
    expect(await pointsEntryByRef(systemCtx(), checkinRef(s.userId, '2027-01-11'))).toMatchObject({ delta: 5, reason: 'checkin' });
  });

  it('streak bonuses: +5 on day 3, +20 on day 7, the ladder restarts on day 8; a missed day resets the streak', async () => {
    const s = await shopper();
    const bonuses: number[] = [];
    for (let i = 0; i < 8; i++) bonuses.push((await checkIn(as(s.userId, bj('2027-02-01') + i * DAY))).result.bonusPoints);
    expect(bonuses).toEqual([0, 0, 5, 0, 0, 0, 20, 0]);
    expect(await pointsBalance(systemCtx(), s.userId)).toBe(8 * 5 + 25);
    const ledger = await api('GET', '/store/v1/me/points?limit=100', { token: s.token });
    expect(
      ledger.body.items
        .filter((e: any) => e.reason === 'checkin_bonus')
        .map((e: any) => e.delta)
        .sort(),
    ).toEqual([20, 5]);
    // 2027-02-09 missed: the 10th starts again at 1
    const after = await checkIn(as(s.userId, bj('2027-02-10')));
    expect(after.result).toMatchObject({ streak: 1, currentStreak: 1, bonusPoints: 0, nextBonus: { streakDay: 3, inDays: 2 } });
  });

  it('switched off: 409 members.checkin_disabled; the rules are validated', async () => {
    const bad = await api('PUT', '/admin/v1/checkin/settings', { token: admin, body: { ...RULES, bonuses: [{ day: 8, points: 5 }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].path).toBe('bonuses.0.day');
    const dup = await api('PUT', '/admin/v1/checkin/settings', {
      token: admin,
      body: {
        ...RULES,
        bonuses: [
          { day: 3, points: 5 },
          { day: 3, points: 6 },
        ],
      },
    });
    expect(dup.status).toBe(400);
    expect((await api('PUT', '/admin/v1/checkin/settings', { token: admin, body: { ...RULES, enabled: false } })).status).toBe(200);
    const s = await shopper();
    try {
      const r = await api('POST', '/store/v1/me/checkin', { token: s.token });
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('members.checkin_disabled');
    } finally {
      expect((await api('PUT', '/admin/v1/checkin/settings', { token: admin, body: RULES })).status).toBe(200);
    }
  });
});

describe('make-up cards (补签卡)', () => {
  it('fills a missed day of this month within the window with one card; the streak and its bonus are recomputed', async () => {
    const s = await shopper();
    for (const d of ['2027-03-10', '2027-03-11', '2027-03-13', '2027-03-14']) await checkIn(as(s.userId, bj(d)));
    const now = bj('2027-03-14', '20:00:00');
    expect((await getCheckinCalendar(as(s.userId, now))).currentStreak).toBe(2);

    // no card yet
    await expect(makeUpCheckin(as(s.userId, now), '2027-03-12')).rejects.toMatchObject({ code: 'members.no_makeup_card' });
    const g = await grantCards(s.userId, 2, 'cards-1');
    expect(g.status).toBe(201);
    expect(g.body).toMatchObject({ granted: 2, makeupCards: 2, replayed: false });
    expect((await grantCards(s.userId, 2, 'cards-1')).body).toMatchObject({ replayed: true, makeupCards: 2 });

    const made = await makeUpCheckin(as(s.userId, now), '2027-03-12');
    // 10–14 is now one streak: day 3 (the 12th) earns the +5 it would have had
    expect(made).toMatchObject({
      created: true,
      result: { kind: 'makeup', day: '2027-03-12', streak: 3, bonusPoints: 5, currentStreak: 5, makeupCards: 1 },
    });
    const again = await makeUpCheckin(as(s.userId, now), '2027-03-12');
    expect(again).toMatchObject({ created: false, result: { alreadyCheckedIn: true, makeupCards: 1 } });
    expect(await pointsBalance(systemCtx(), s.userId)).toBe(5 * 5 + 5);

    // the streak goes on from 5: day 7 of it (the 16th) pays +20
    await checkIn(as(s.userId, bj('2027-03-15')));
    expect((await checkIn(as(s.userId, bj('2027-03-16')))).result).toMatchObject({ streak: 7, bonusPoints: 20 });

    const cal = await getCheckinCalendar(as(s.userId, bj('2027-03-16', '12:00:00')));
    const status = Object.fromEntries(cal.days.map((d) => [d.day, d.status]));
    expect(status).toMatchObject({
      '2027-03-09': 'missed',
      '2027-03-10': 'checked',
      '2027-03-12': 'made_up',
      '2027-03-16': 'checked',
      '2027-03-17': 'upcoming',
    });
    expect(cal.days.find((d) => d.day === '2027-03-09')!.canMakeUp).toBe(true);
    expect(cal.days.find((d) => d.day === '2027-03-08')!.canMakeUp).toBe(false); // 8 days back
    expect(cal).toMatchObject({ checkedInToday: true, currentStreak: 7, makeupCards: 1, todayReward: { points: 5, bonusPoints: 20 } });
    expect(cal.ladder.map((l) => l.reached)).toEqual([true, true, true, true, true, true, true]);
  });

  it('refuses today, days outside the window, last month and before sign-up — without using a card', async () => {
    const s = await shopper();
    await grantCards(s.userId, 1);
    const refusal = async (now: number, day: string) => {
      const e = await makeUpCheckin(as(s.userId, now), day).catch((x) => x);
      expect(code(e), day).toBe('members.makeup_not_allowed');
      return (e as { details: { reason: string } }).details.reason;
    };
    expect(await refusal(bj('2027-04-20'), '2027-04-20')).toBe('not_past');
    expect(await refusal(bj('2027-04-20'), '2027-04-21')).toBe('not_past');
    expect(await refusal(bj('2027-04-20'), '2027-04-12')).toBe('outside_window');
    expect(await refusal(bj('2027-05-02'), '2027-04-30')).toBe('other_month');
    expect(await refusal(Date.now() + 2 * DAY, shanghaiDay(Date.now() - 3 * DAY))).toMatch(/before_signup|other_month/);
    expect(await makeupCardBalance(systemCtx(), s.userId)).toBe(1);
  });

  it('a card is used exactly once under a burst: one make-up lands, the rest answer alreadyCheckedIn or no card', async () => {
    const s = await shopper();
    await grantCards(s.userId, 1);
    const now = bj('2027-06-20');
    const days = ['2027-06-15', '2027-06-16'];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        makeUpCheckin(as(s.userId, now), days[i % 2]!).then(
          (r) => ({ created: r.created }),
          (e) => ({ error: code(e) }),
        ),
      ),
    );
    expect(results.filter((r) => 'created' in r && r.created)).toHaveLength(1);
    expect(results.filter((r) => 'error' in r).every((r) => (r as { error: string }).error === 'members.no_makeup_card')).toBe(true);
    expect(await makeupCardBalance(systemCtx(), s.userId)).toBe(0);
    const cal = await getCheckinCalendar(as(s.userId, now));
    expect(cal.days.filter((d) => d.status === 'made_up')).toHaveLength(1);
    expect(await pointsBalance(systemCtx(), s.userId)).toBe(5);
  });
});

describe('routes: calendar, stats, authorisation, validation', () => {
  it('serves the calendar over HTTP and validates its month', async () => {
    const s = await shopper();
    await api('POST', '/store/v1/me/checkin', { token: s.token });
    const cal = await api('GET', '/store/v1/me/checkin/calendar', { token: s.token });
    expect(cal.status).toBe(200);
    expect(cal.body).toMatchObject({ checkedInToday: true, currentStreak: 1, rules: { dailyPoints: 5 } });
    expect(cal.body.days.find((d: any) => d.day === cal.body.today)).toMatchObject({ status: 'checked', points: 5 });
    expect((await api('GET', '/store/v1/me/checkin/calendar?month=2026-13', { token: s.token })).status).toBe(400);
    const bad = await api('POST', '/store/v1/me/checkin/makeup', { token: s.token, body: { day: '12-01' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation.failed');
    const stats = await api('GET', '/admin/v1/checkin/stats?days=7', { token: admin });
    expect(stats.status).toBe(200);
    expect(stats.body.days).toHaveLength(7);
    expect(stats.body.days[6]).toMatchObject({ day: cal.body.today });
    expect(stats.body.days[6].checkins).toBeGreaterThanOrEqual(1);
  });

  it('refuses anonymous callers, staff on shopper routes, and roles without members.read / members.write', async () => {
    expect((await api('POST', '/store/v1/me/checkin')).status).toBe(401);
    expect((await api('POST', '/store/v1/me/checkin', { token: admin })).status).toBe(403);
    const support = await staffToken('support');
    const merchant = await staffToken('merchant', 'mch_platform');
    expect((await api('GET', '/admin/v1/checkin/settings', { token: support })).status).toBe(200);
    expect((await api('PUT', '/admin/v1/checkin/settings', { token: support, body: RULES })).status).toBe(403);
    expect((await api('GET', '/admin/v1/checkin/settings', { token: merchant })).status).toBe(403);
    const s = await shopper();
    expect(
      (await api('POST', `/admin/v1/users/${s.userId}/makeup-cards`, { token: support, body: { count: 1, reason: 'x' } })).status,
    ).toBe(403);
    expect(
      (await api('POST', `/admin/v1/users/${s.userId}/makeup-cards`, { token: s.token, body: { count: 1, reason: 'x' } })).status,
    ).toBe(403);
    expect(
      (await api('POST', '/admin/v1/users/usr_nobody000000/makeup-cards', { token: admin, body: { count: 1, reason: 'x' } })).status,
    ).toBe(404);
    expect((await api('POST', `/admin/v1/users/${s.userId}/makeup-cards`, { token: admin, body: { count: 0, reason: 'x' } })).status).toBe(
      400,
    );
  });
});
