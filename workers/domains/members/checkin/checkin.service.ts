import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import { addDays, shanghaiDay } from '../../../shared/calendar';
import { type Ctx, shopperId } from '../../../shared/context';
import { batchFailure, guard, iso, stmt } from '../../../shared/db';
import { conflict, forbidden } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { getUserCreatedAt } from '../../users/users.service';
import { pointsBalance, pointsEntryStatement } from '../points.service';
import { makeupCardBalance, useMakeupCardStatements } from './cards';
import type { CheckinCalendarDto, CheckinResultDto, UpdateCheckinRulesInput } from './dto';
import {
  DEFAULT_RULES,
  bonusAt,
  currentStreak,
  ladderDay,
  makeupBonus,
  makeupRefusal,
  monthDays,
  nextBonus,
  runAround,
  streakEndingAt,
  type CheckinRules,
} from './rules';
import { checkinSettings, checkins } from './schema';

type CheckinRow = typeof checkins.$inferSelect;

const SETTINGS_ID = 'default';
/** How far back a streak is read (a longer streak counts as this long). */
const LOOKBACK_DAYS = 400;
/** A check-in that lost a race with the same shopper's make-up is decided again from fresh state this many times. */
const MAX_ATTEMPTS = 4;

/** Points ledger refs: one daily grant and at most one bonus per shopper and day, ever. */
export const checkinRef = (userId: string, day: string) => `checkin:${userId}:${day}`;
const bonusRef = (userId: string, day: string) => `checkin-bonus:${userId}:${day}`;

/** The check-in rules in force (the defaults until staff save their own). */
export async function checkinRules(ctx: Ctx): Promise<CheckinRules & { updatedAt: number | null }> {
  const [row] = await ctx.db.select().from(checkinSettings).where(eq(checkinSettings.id, SETTINGS_ID)).limit(1);
  if (!row) return { ...DEFAULT_RULES, updatedAt: null };
  const { enabled, dailyPoints, cycleDays, bonuses, makeupWindowDays, updatedAt } = row;
  return { enabled, dailyPoints, cycleDays, bonuses: [...bonuses].sort((a, b) => a.day - b.day), makeupWindowDays, updatedAt };
}

const settingsDto = (r: CheckinRules & { updatedAt: number | null }) => ({
  enabled: r.enabled,
  dailyPoints: r.dailyPoints,
  cycleDays: r.cycleDays,
  bonuses: r.bonuses,
  makeupWindowDays: r.makeupWindowDays,
  updatedAt: iso(r.updatedAt),
});

/** getCheckinSettings (staff, members.read). */
export async function getCheckinSettings(ctx: Ctx) {
  return settingsDto(await checkinRules(ctx));
}

/** updateCheckinSettings (staff, members.write): replaces the rules; check-ins already made keep what they were granted. */
export async function updateCheckinSettings(ctx: Ctx, input: UpdateCheckinRulesInput) {
  if (ctx.actor.kind !== 'staff') throw forbidden('this is for staff');
  const values = { ...input, bonuses: [...input.bonuses].sort((a, b) => a.day - b.day), updatedAt: ctx.now, updatedBy: ctx.actor.staffId };
  await ctx.db
    .insert(checkinSettings)
    .values({ id: SETTINGS_ID, ...values })
    .onConflictDoUpdate({ target: checkinSettings.id, set: values });
  return settingsDto(await checkinRules(ctx));
}

/** A shopper's check-ins on or after `from` (a Beijing date), oldest first. */
async function rowsSince(ctx: Ctx, userId: string, from: string, to?: string): Promise<CheckinRow[]> {
  const conds = [eq(checkins.userId, userId), gte(checkins.day, from)];
  if (to) conds.push(lte(checkins.day, to));
  return ctx.db
    .select()
    .from(checkins)
    .where(and(...conds))
    .orderBy(asc(checkins.day));
}

/** The Beijing days a shopper has checked in (made-up ones included) on or after `from`: for seeds and reports. */
export async function checkedDaysSince(ctx: Ctx, userId: string, from: string): Promise<Set<string>> {
  return new Set((await rowsSince(ctx, userId, from)).map((r) => r.day));
}

const countIn = (rows: CheckinRow[], lo: string, hi: string) => rows.filter((r) => r.day >= lo && r.day <= hi).length;

/**
 * A guard that the shopper's check-ins between lo and hi are still `n`: rows are only ever added,
 * so an equal count means nobody changed the streak this decision was read from.
 */
const unchangedGuard = (ctx: Ctx, userId: string, lo: string, hi: string, n: number) =>
  guard(ctx.env.DB, 'SELECT count(*) = ?1 FROM checkins WHERE user_id = ?2 AND day >= ?3 AND day <= ?4', n, userId, lo, hi);

function grantStatements(ctx: Ctx, row: CheckinRow): D1PreparedStatement[] {
  const out = [stmt(ctx.env.DB, ctx.db.insert(checkins).values(row))];
  if (row.points > 0)
    out.push(pointsEntryStatement(ctx, { userId: row.userId, delta: row.points, reason: 'checkin', ref: checkinRef(row.userId, row.day) }));
  if (row.bonusPoints > 0)
    out.push(
      pointsEntryStatement(ctx, {
        userId: row.userId,
        delta: row.bonusPoints,
        reason: 'checkin_bonus',
        ref: bonusRef(row.userId, row.day),
      }),
    );
  return out;
}

async function resultOf(ctx: Ctx, row: CheckinRow, alreadyCheckedIn: boolean, rules: CheckinRules): Promise<CheckinResultDto> {
  const today = shanghaiDay(ctx.now);
  const [rows, balance, cards] = await Promise.all([
    rowsSince(ctx, row.userId, addDays(today, -LOOKBACK_DAYS)),
    pointsBalance(ctx, row.userId),
    makeupCardBalance(ctx, row.userId),
  ]);
  const streakNow = currentStreak(new Set(rows.map((r) => r.day)), today);
  return {
    day: row.day,
    kind: row.kind,
    alreadyCheckedIn,
    points: row.points,
    bonusPoints: row.bonusPoints,
    streak: row.streak,
    currentStreak: streakNow,
    nextBonus: nextBonus(streakNow, rules),
    pointsBalance: balance,
    makeupCards: cards,
    checkedInAt: iso(row.createdAt)!,
  };
}

async function rowOfDay(ctx: Ctx, userId: string, day: string): Promise<CheckinRow | null> {
  const [row] = await ctx.db
    .select()
    .from(checkins)
    .where(and(eq(checkins.userId, userId), eq(checkins.day, day)))
    .limit(1);
  return row ?? null;
}

const disabled = () => conflict('members.checkin_disabled', 'check-in is switched off');
const busy = () => conflict('members.checkin_busy', 'too many check-ins at once; try again');

/**
 * checkIn (shopper): checks in today (Asia/Shanghai). In ONE batch: the check-in row (unique
 * (user, day), first, so a concurrent repeat fails before anything else), a guard that the streak
 * it was decided from is unchanged, the daily points and the streak bonus. A second call the same
 * day grants nothing and returns the day's first result with `alreadyCheckedIn` (`created` false).
 */
export async function checkIn(ctx: Ctx): Promise<{ result: CheckinResultDto; created: boolean }> {
  const userId = shopperId(ctx, 'only shoppers check in');
  const rules = await checkinRules(ctx);
  const today = shanghaiDay(ctx.now);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const rows = await rowsSince(ctx, userId, addDays(today, -LOOKBACK_DAYS));
    const mine = rows.find((r) => r.day === today);
    if (mine) return { result: await resultOf(ctx, mine, true, rules), created: false };
    if (!rules.enabled) throw disabled();

    const yesterday = addDays(today, -1);
    const before = streakEndingAt(new Set(rows.map((r) => r.day)), yesterday);
    const streak = before + 1;
    const row: CheckinRow = {
      id: newId('chk'),
      userId,
      day: today,
      kind: 'normal',
      streak,
      points: rules.dailyPoints,
      bonusPoints: bonusAt(streak, rules),
      createdAt: ctx.now,
    };
    const lo = addDays(today, -(before + 1));
    const [insert, ...grants] = grantStatements(ctx, row);
    try {
      await ctx.env.DB.batch([insert!, unchangedGuard(ctx, userId, lo, yesterday, countIn(rows, lo, yesterday)), ...grants]);
    } catch (e) {
      const failure = batchFailure(e);
      if (failure === 'unique') {
        const first = await rowOfDay(ctx, userId, today);
        if (first) return { result: await resultOf(ctx, first, true, rules), created: false };
      }
      if (failure === 'guard') continue; // a make-up changed the streak meanwhile: decide again
      throw e;
    }
    ctx.log.info('checked in', { userId, day: today, streak, points: row.points, bonus: row.bonusPoints });
    return { result: await resultOf(ctx, row, false, rules), created: true };
  }
  throw busy();
}

/**
 * makeUpCheckin (shopper, 补签): checks in a missed day of the current month within the make-up
 * window, using one card. In ONE batch: the check-in row (unique (user, day)), a guard that the
 * run it joins is unchanged, the card use (guarded: never below zero; ref `makeup:<user>:<day>`),
 * the day's points and the bonus the joined streak now earns (see rules.makeupBonus). Repeating a
 * make-up of a day already checked returns that day with `alreadyCheckedIn` and uses no card.
 */
export async function makeUpCheckin(ctx: Ctx, day: string): Promise<{ result: CheckinResultDto; created: boolean }> {
  const userId = shopperId(ctx, 'only shoppers check in');
  const rules = await checkinRules(ctx);
  const today = shanghaiDay(ctx.now);
  const created = await getUserCreatedAt(ctx, userId);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const rows = await rowsSince(ctx, userId, addDays(today, -LOOKBACK_DAYS));
    const mine = rows.find((r) => r.day === day);
    if (mine) return { result: await resultOf(ctx, mine, true, rules), created: false };
    if (!rules.enabled) throw disabled();
    const refusal = makeupRefusal(day, today, shanghaiDay(created ?? ctx.now), rules);
    if (refusal)
      throw conflict('members.makeup_not_allowed', `${day} cannot be made up (${refusal})`, {
        reason: refusal,
        makeupWindowDays: rules.makeupWindowDays,
      });
    if ((await makeupCardBalance(ctx, userId)) < 1) throw noCard();

    const checked = new Set([...rows.map((r) => r.day), day]);
    const run = runAround(checked, day);
    const received = rows.filter((r) => r.day >= run.start && r.day <= run.end).reduce((n, r) => n + r.bonusPoints, 0);
    const row: CheckinRow = {
      id: newId('chk'),
      userId,
      day,
      kind: 'makeup',
      streak: streakEndingAt(checked, day),
      points: rules.dailyPoints,
      bonusPoints: makeupBonus(run, received, rules),
      createdAt: ctx.now,
    };
    const lo = addDays(run.start, -1);
    const hi = addDays(run.end, 1);
    const [insert, ...grants] = grantStatements(ctx, row);
    try {
      await ctx.env.DB.batch([
        insert!,
        unchangedGuard(ctx, userId, lo, hi, countIn(rows, lo, hi) + 1),
        ...useMakeupCardStatements(ctx, userId, `makeup:${userId}:${day}`),
        ...grants,
      ]);
    } catch (e) {
      const failure = batchFailure(e);
      if (failure === 'unique') {
        const first = await rowOfDay(ctx, userId, day);
        if (first) return { result: await resultOf(ctx, first, true, rules), created: false };
      }
      if (failure === 'guard') {
        if ((await makeupCardBalance(ctx, userId)) < 1) throw noCard();
        continue;
      }
      throw e;
    }
    ctx.log.info('made up a check-in', { userId, day, streak: row.streak, bonus: row.bonusPoints });
    return { result: await resultOf(ctx, row, false, rules), created: true };
  }
  throw busy();
}

const noCard = () => conflict('members.no_makeup_card', 'no make-up card (补签卡) left');

/** getCheckinCalendar (shopper): a month's days (checked / made up / missed …), the streak, today's reward, the next bonus and the ladder. */
export async function getCheckinCalendar(ctx: Ctx, month?: string): Promise<CheckinCalendarDto> {
  const userId = shopperId(ctx, 'this is for shoppers');
  const today = shanghaiDay(ctx.now);
  const m = month ?? today.slice(0, 7);
  const days = monthDays(m);
  const [rules, recent, inMonth, cards, created] = await Promise.all([
    checkinRules(ctx),
    rowsSince(ctx, userId, addDays(today, -LOOKBACK_DAYS)),
    rowsSince(ctx, userId, days[0]!, days[days.length - 1]!),
    makeupCardBalance(ctx, userId),
    getUserCreatedAt(ctx, userId),
  ]);
  const signupDay = shanghaiDay(created ?? ctx.now);
  const checked = new Set(recent.map((r) => r.day));
  const byDay = new Map(inMonth.map((r) => [r.day, r]));
  const todayRow = recent.find((r) => r.day === today) ?? null;
  const streakNow = currentStreak(checked, today);

  const ladderLength = rules.cycleDays ?? Math.min(31, Math.max(7, ...rules.bonuses.map((b) => b.day)));
  const standing = ladderDay(streakNow, rules.cycleDays);
  return {
    month: m,
    today,
    enabled: rules.enabled,
    checkedInToday: !!todayRow,
    currentStreak: streakNow,
    days: days.map((d) => {
      const r = byDay.get(d);
      if (r) return { day: d, status: r.kind === 'makeup' ? 'made_up' : 'checked', points: r.points + r.bonusPoints, canMakeUp: false };
      if (d > today) return { day: d, status: 'upcoming', points: 0, canMakeUp: false };
      if (d === today) return { day: d, status: 'today', points: 0, canMakeUp: false };
      if (d < signupDay) return { day: d, status: 'none', points: 0, canMakeUp: false };
      return { day: d, status: 'missed', points: 0, canMakeUp: rules.enabled && makeupRefusal(d, today, signupDay, rules) === null };
    }),
    todayReward: todayRow
      ? { points: todayRow.points, bonusPoints: todayRow.bonusPoints }
      : { points: rules.dailyPoints, bonusPoints: bonusAt(streakEndingAt(checked, addDays(today, -1)) + 1, rules) },
    nextBonus: nextBonus(streakNow, rules),
    ladder: Array.from({ length: ladderLength }, (_, i) => ({
      streakDay: i + 1,
      points: rules.dailyPoints,
      bonusPoints: rules.bonuses.find((b) => b.day === i + 1)?.points ?? 0,
      reached: rules.cycleDays ? i + 1 <= standing : i + 1 <= streakNow,
    })),
    makeupCards: cards,
    makeupWindowDays: rules.makeupWindowDays,
    rules: {
      enabled: rules.enabled,
      dailyPoints: rules.dailyPoints,
      cycleDays: rules.cycleDays,
      bonuses: rules.bonuses,
      makeupWindowDays: rules.makeupWindowDays,
    },
  };
}

/** getCheckinStats (staff, members.read): check-ins per Beijing day for the last `days` days, oldest first, zeros included. */
export async function getCheckinStats(ctx: Ctx, q: { days: number }) {
  const today = shanghaiDay(ctx.now);
  const from = addDays(today, -(q.days - 1));
  const rows = await ctx.db
    .select({
      day: checkins.day,
      checkins: sql<number>`count(*)`,
      makeups: sql<number>`coalesce(sum(${checkins.kind} = 'makeup'), 0)`,
      points: sql<number>`coalesce(sum(${checkins.points} + ${checkins.bonusPoints}), 0)`,
    })
    .from(checkins)
    .where(and(gte(checkins.day, from), lte(checkins.day, today)))
    .groupBy(checkins.day);
  const by = new Map(rows.map((r) => [r.day, r]));
  return {
    days: Array.from({ length: q.days }, (_, i) => {
      const d = addDays(from, i);
      const r = by.get(d);
      return { day: d, checkins: Number(r?.checkins ?? 0), makeups: Number(r?.makeups ?? 0), points: Number(r?.points ?? 0) };
    }),
  };
}
