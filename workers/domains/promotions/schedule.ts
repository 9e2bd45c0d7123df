import { and, eq, gt, lte, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/** Where a scheduled promotion (rule, campaign, lottery) stands: by the clock, or switched off. */
export type ScheduleState = 'scheduled' | 'live' | 'ended' | 'disabled';
export const SCHEDULE_STATES = ['scheduled', 'live', 'ended', 'disabled'] as const;

export function scheduleState(p: { status: string; startsAt: number; endsAt: number }, now: number): ScheduleState {
  if (p.status !== 'active') return 'disabled';
  return now < p.startsAt ? 'scheduled' : now >= p.endsAt ? 'ended' : 'live';
}

/** The SQL filter for rows in `state` at `now`, for list queries. */
export function scheduleCondition(cols: { status: SQLiteColumn; startsAt: SQLiteColumn; endsAt: SQLiteColumn }, state: ScheduleState, now: number): SQL | undefined {
  const active = eq(cols.status, 'active');
  if (state === 'disabled') return eq(cols.status, 'disabled');
  if (state === 'scheduled') return and(active, gt(cols.startsAt, now));
  if (state === 'ended') return and(active, lte(cols.endsAt, now));
  return and(active, lte(cols.startsAt, now), gt(cols.endsAt, now));
}
