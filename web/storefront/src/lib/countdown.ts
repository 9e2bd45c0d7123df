/**
 * Server-synced countdowns (flash sales, group-buy teams). The device clock may be wrong by
 * minutes or hours; every answer that carries `serverTime` gives an offset (server − local),
 * and every "now" a countdown uses is `serverNow(offset)`, so a skewed phone still flips to
 * 抢购中 exactly when the server does. Pure: no Taro, no timers.
 */

export type Phase = 'upcoming' | 'live' | 'ended';

/** An ISO string or epoch ms → epoch ms (NaN when unparseable). */
export function toMs(t: string | number | null | undefined): number {
  if (t === null || t === undefined || t === '') return NaN;
  return typeof t === 'number' ? t : Date.parse(t);
}

/**
 * The server clock minus the local clock, in ms. The server stamped `serverTime` somewhere
 * between the request leaving (`requestStart`) and the answer arriving (`requestEnd`); the
 * midpoint is the best guess for when, on the local clock. 0 when serverTime is unusable.
 */
export function clockOffset(serverTime: string, requestStart: number, requestEnd: number): number {
  const server = toMs(serverTime);
  if (!Number.isFinite(server) || !Number.isFinite(requestStart) || !Number.isFinite(requestEnd)) return 0;
  return Math.round(server - (requestStart + requestEnd) / 2);
}

/** The server's "now" from the offset and the local clock. */
export function serverNow(offset: number, localNow: number = Date.now()): number {
  return localNow + offset;
}

/** Where `now` (server time) falls in a [startsAt, endsAt) window, and the ms to the next boundary (0 once ended). */
export function phaseOf(span: { startsAt: string | number; endsAt: string | number }, now: number): { phase: Phase; msLeft: number } {
  const start = toMs(span.startsAt);
  const end = toMs(span.endsAt);
  if (now < start) return { phase: 'upcoming', msLeft: start - now };
  if (now < end) return { phase: 'live', msLeft: end - now };
  return { phase: 'ended', msLeft: 0 };
}

/** Whole seconds still to show for `ms` left: rounded up, so "00:00:00" appears only at zero. */
export function secondsLeft(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) return 0;
  return Math.ceil(ms / 1000);
}

/** ms until the shown second changes (the next whole-second boundary of the remaining time). */
export function msToNextTick(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) return 0;
  const r = ms % 1000;
  return r === 0 ? 1000 : r;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** ms left → "HH:MM:SS", or "N天 HH:MM:SS" from a day on. Negative or NaN → "00:00:00". */
export function formatCountdown(ms: number): string {
  let s = secondsLeft(ms);
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const hms = `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return days > 0 ? `${days}天 ${hms}` : hms;
}
