// The check-in decisions as pure functions over Beijing dates ("2026-12-07"): streaks, the bonus
// ladder, what a make-up (补签) may fill and what it earns. No I/O, so tests walk them directly.
import { addDays } from '../../../shared/calendar';
import type { StreakBonus } from './schema';

export interface CheckinRules {
  enabled: boolean;
  dailyPoints: number;
  cycleDays: number | null;
  bonuses: StreakBonus[];
  makeupWindowDays: number;
}

/** What a shop starts with until staff save their own rules: 5 points a day, +5 on day 3 and +20 on day 7 of a weekly ladder. */
export const DEFAULT_RULES: CheckinRules = {
  enabled: true,
  dailyPoints: 5,
  cycleDays: 7,
  bonuses: [
    { day: 3, points: 5 },
    { day: 7, points: 20 },
  ],
  makeupWindowDays: 7,
};

/** The day of the ladder a streak of `streak` days stands on: 1…cycleDays, repeating; the streak itself without a cycle. */
export function ladderDay(streak: number, cycleDays: number | null): number {
  if (streak <= 0) return 0;
  return cycleDays ? ((streak - 1) % cycleDays) + 1 : streak;
}

/** The bonus for reaching a streak of `streak` days (0 when that ladder day has none). */
export function bonusAt(streak: number, rules: Pick<CheckinRules, 'cycleDays' | 'bonuses'>): number {
  const d = ladderDay(streak, rules.cycleDays);
  return rules.bonuses.find((b) => b.day === d)?.points ?? 0;
}

/** Consecutive checked days ending at `day` (0 when `day` itself is not checked). */
export function streakEndingAt(checked: ReadonlySet<string>, day: string): number {
  let n = 0;
  for (let d = day; checked.has(d); d = addDays(d, -1)) n++;
  return n;
}

/** The streak a shopper holds today: through today if checked, else through yesterday (still alive until today ends). */
export function currentStreak(checked: ReadonlySet<string>, today: string): number {
  return checked.has(today) ? streakEndingAt(checked, today) : streakEndingAt(checked, addDays(today, -1));
}

/**
 * The next bonus ahead of a streak of `streak` days: on which streak day, how many points, and in
 * how many more check-ins. Null when the ladder has no bonus ahead (no cycle and all passed).
 */
export function nextBonus(
  streak: number,
  rules: Pick<CheckinRules, 'cycleDays' | 'bonuses'>,
): { streakDay: number; points: number; inDays: number } | null {
  if (rules.bonuses.length === 0) return null;
  const horizon = rules.cycleDays ?? Math.max(...rules.bonuses.map((b) => b.day));
  for (let s = streak + 1; s <= streak + horizon; s++) {
    const points = bonusAt(s, rules);
    if (points > 0) return { streakDay: ladderDay(s, rules.cycleDays), points, inDays: s - streak };
  }
  return null;
}

/** Why a day cannot be made up, or null when it can. */
export type MakeupRefusal = 'not_past' | 'outside_window' | 'other_month' | 'before_signup' | 'disabled';

/**
 * Whether `day` may be made up today: a past day of the current (Beijing) month, at most
 * `makeupWindowDays` days back, not before the shopper registered. (Whether it is already checked
 * and whether a card is held are the caller's questions.)
 */
export function makeupRefusal(
  day: string,
  today: string,
  signupDay: string,
  rules: Pick<CheckinRules, 'makeupWindowDays'>,
): MakeupRefusal | null {
  if (rules.makeupWindowDays <= 0) return 'disabled';
  if (day >= today) return 'not_past';
  if (day.slice(0, 7) !== today.slice(0, 7)) return 'other_month';
  if (day < addDays(today, -rules.makeupWindowDays)) return 'outside_window';
  if (day < signupDay) return 'before_signup';
  return null;
}

/** The run of checked days that `day` joins once it is checked: its first and last day. */
export function runAround(checked: ReadonlySet<string>, day: string): { start: string; end: string } {
  let start = day;
  while (checked.has(addDays(start, -1))) start = addDays(start, -1);
  let end = day;
  while (checked.has(addDays(end, 1))) end = addDays(end, 1);
  return { start, end };
}

/**
 * The bonus a make-up earns: what the joined run would have earned had it been one unbroken
 * streak, less the bonuses its days already received — never negative, so nothing is taken back,
 * and a make-up never leaves a shopper better off than never missing the day.
 */
export function makeupBonus(
  run: { start: string; end: string },
  received: number,
  rules: Pick<CheckinRules, 'cycleDays' | 'bonuses'>,
): number {
  let expected = 0;
  let n = 0;
  for (let d = run.start; d <= run.end; d = addDays(d, 1)) expected += bonusAt(++n, rules);
  return Math.max(0, expected - received);
}

/** Every date of a month ("2026-12") in order. */
export function monthDays(month: string): string[] {
  const out: string[] = [];
  for (let d = `${month}-01`; d.startsWith(month); d = addDays(d, 1)) out.push(d);
  return out;
}
