// The Worker's clock: what ctx.now is for requests, queue messages and cron runs.
//
// In production it is Date.now(), always: nothing in production code moves it. A development
// server can be moved forward (workers/dev/clock.routes.ts, mounted only outside production) so a
// browser scenario can live through seven check-in days, an after-sales window or a shopper going
// quiet, end to end, instead of faking the rows.
let offsetMs = 0;

/** Now, epoch ms. */
export function clockNow(): number {
  return Date.now() + offsetMs;
}

/** How far the clock runs ahead of real time (0 unless a development server moved it). */
export function clockOffset(): number {
  return offsetMs;
}

/** Development only (the dev clock routes call it): runs the clock `ms` ahead of real time; 0 resets. */
export function setClockOffset(ms: number): void {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError('the clock only runs ahead of real time');
  offsetMs = ms;
}
