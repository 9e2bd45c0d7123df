// Calendar months in Beijing time, for the 保级 period ("12 months from reaching the tier").
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/**
 * The instant `n` calendar months after `ms` (n < 0: before), at the same Beijing wall-clock
 * time; a day past the end of the target month is clamped (Jan 31 + 1 month = Feb 28/29).
 */
export function addMonths(ms: number, n: number): number {
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1);
  const f = new Date(first);
  const lastDay = new Date(Date.UTC(f.getUTCFullYear(), f.getUTCMonth() + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  const timeOfDay = (ms + SHANGHAI_OFFSET_MS) % 86_400_000;
  return first + (day - 1) * 86_400_000 + timeOfDay - SHANGHAI_OFFSET_MS;
}

/** Whether `year` has a 29 February (birthdays on it are celebrated on 28 February otherwise). */
export const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
