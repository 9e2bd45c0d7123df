// Calendar days and hours as shoppers live them: Asia/Shanghai (UTC+8, no daylight saving).
// Storage stays UTC epoch ms; a "day" in the API is the Beijing date, "2026-11-11".

export const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The Asia/Shanghai calendar day of an instant: "2026-11-11". */
export function shanghaiDay(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant (epoch ms) a Beijing day — given as an instant in it — begins. */
export function shanghaiDayStart(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
}

/** The instant a Beijing date ("2026-11-11") begins; NaN for anything that is not a real date. */
export function shanghaiDateStart(day: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return NaN;
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== day ? NaN : t - SHANGHAI_OFFSET_MS;
}

/** The Beijing date `n` days after (or before, n < 0) `day`. */
export function addDays(day: string, n: number): string {
  return shanghaiDay(shanghaiDateStart(day) + n * DAY_MS);
}

/** Hour of the day in Beijing, 0–23. */
export function shanghaiHour(ms: number): number {
  return new Date(ms + SHANGHAI_OFFSET_MS).getUTCHours();
}

/** Day of the week in Beijing: 0 = Sunday … 6 = Saturday. */
export function shanghaiWeekday(ms: number): number {
  return new Date(ms + SHANGHAI_OFFSET_MS).getUTCDay();
}

/** "MM-DD" of an instant in Beijing (birthdays are matched on it). */
export function shanghaiMonthDay(ms: number): string {
  return shanghaiDay(ms).slice(5);
}
