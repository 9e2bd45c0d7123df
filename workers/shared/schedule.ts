import { and, eq, gt, lte, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/**
 * Where a time window [startsAt, endsAt) stands at a moment. One word per state across the API:
 * a window that has not started is `upcoming` in every domain (flash sales, group buys, price
 * rules, campaigns, lotteries), so clients need one mapping.
 */
export const WINDOW_STATES = ['upcoming', 'live', 'ended'] as const;
export type WindowState = (typeof WINDOW_STATES)[number];

/** A window staff can also switch off (price rules, campaigns, lotteries): `disabled` wins over the clock. */
export const SCHEDULE_STATES = [...WINDOW_STATES, 'disabled'] as const;
export type ScheduleState = (typeof SCHEDULE_STATES)[number];

/** The state of a window at `now` (epoch ms): upcoming before startsAt, live until endsAt, ended from endsAt on. */
export function windowState(w: { startsAt: number; endsAt: number }, now: number): WindowState {
  return now < w.startsAt ? 'upcoming' : now >= w.endsAt ? 'ended' : 'live';
}

/** The state of a window that can be switched off: anything but status `active` is `disabled`. */
export function scheduleState(p: { status: string; startsAt: number; endsAt: number }, now: number): ScheduleState {
  return p.status === 'active' ? windowState(p, now) : 'disabled';
}

/** The SQL filter for rows whose window is in `state` at `now` — the same boundaries as `windowState`. */
export function windowCondition(cols: { startsAt: SQLiteColumn; endsAt: SQLiteColumn }, state: WindowState, now: number): SQL {
  if (state === 'upcoming') return gt(cols.startsAt, now);
  if (state === 'ended') return lte(cols.endsAt, now);
  return and(lte(cols.startsAt, now), gt(cols.endsAt, now))!;
}

/** The SQL filter for rows in `state` at `now` — the same decision as `scheduleState`. */
export function scheduleCondition(
  cols: { status: SQLiteColumn; startsAt: SQLiteColumn; endsAt: SQLiteColumn },
  state: ScheduleState,
  now: number,
): SQL {
  if (state === 'disabled') return eq(cols.status, 'disabled');
  return and(eq(cols.status, 'active'), windowCondition(cols, state, now))!;
}
