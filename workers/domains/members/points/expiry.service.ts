// Points expiry (积分过期), FIFO by earn date: points earned in a Beijing month expire at the end
// of the Nth month after it (N = the rules' expiryMonths). Spends always use the oldest points,
// so what expires at a cutoff is: everything earned before the cutoff − everything ever spent or
// expired (clipped at 0, and never more than the balance). A spend given back (a reason ending in
// `_refund`, e.g. checkout_refund) undoes that spend rather than counting as newly earned.
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { shanghaiDay } from '../../../shared/calendar';
import { newId } from '../../../shared/ids';
import { getPointsRules } from './rules.service';
import { pointsExpiryRuns } from './schema';

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The instant the Beijing month `add` months from the one containing `ms` begins. */
export function shanghaiMonthStart(ms: number, add = 0): number {
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1) - SHANGHAI_OFFSET_MS;
}

/** SQL over points_ledger rows of one shopper: what expires at `cutoff` (?1 = cutoff). */
const EXPIRABLE = `max(0, min(
  coalesce(sum(CASE WHEN delta > 0 AND reason NOT LIKE '%\\_refund' ESCAPE '\\' AND created_at < ?1 THEN delta ELSE 0 END), 0)
  - (coalesce(sum(CASE WHEN delta < 0 THEN -delta ELSE 0 END), 0)
     - coalesce(sum(CASE WHEN delta > 0 AND reason LIKE '%\\_refund' ESCAPE '\\' THEN delta ELSE 0 END), 0)),
  coalesce(sum(delta), 0)))`;

/**
 * The next expiry that holds points for this shopper: how many, when (the start of next Beijing
 * month) and the last day to use them. Null when the rules never expire points or nothing is due.
 */
export async function nextExpiry(ctx: Ctx, userId: string, expiryMonths?: number) {
  const months = expiryMonths ?? (await getPointsRules(ctx)).expiryMonths;
  if (months <= 0) return null;
  const at = shanghaiMonthStart(ctx.now, 1);
  const cutoff = shanghaiMonthStart(ctx.now, 1 - months);
  const row = await ctx.env.DB.prepare(`SELECT ${EXPIRABLE} AS n FROM points_ledger WHERE user_id = ?2`)
    .bind(cutoff, userId)
    .first<{ n: number }>();
  const points = Number(row?.n ?? 0);
  if (points <= 0) return null;
  return { points, at: new Date(at).toISOString(), lastDay: shanghaiDay(at - 1) };
}

/**
 * Cron (every minute): expires the points due at the start of this Beijing month, once. A finished
 * run leaves a row for its expiry date, so later minutes (and the next days) only look it up. Each
 * shopper's expiry is one INSERT … SELECT that computes the amount inside the statement — atomic
 * against a concurrent spend, so the balance never goes below 0 — under the unique ref
 * `expire:<userId>:<date>`: a run cut short and redone expires nothing twice.
 */
export async function expirePointsDue(ctx: Ctx): Promise<{ date: string; shoppers: number; points: number } | { skipped: string }> {
  const rules = await getPointsRules(ctx);
  if (rules.expiryMonths <= 0) return { skipped: 'points never expire' };
  const at = shanghaiMonthStart(ctx.now, 0);
  const date = shanghaiDay(at);
  const d1 = ctx.env.DB;
  if (await d1.prepare('SELECT 1 FROM points_expiry_runs WHERE expiry_date = ?1').bind(date).first()) return { skipped: `${date} done` };
  const cutoff = shanghaiMonthStart(ctx.now, -rules.expiryMonths);

  const { results } = await d1
    .prepare("SELECT DISTINCT user_id FROM points_ledger WHERE delta > 0 AND created_at < ?1 AND reason NOT LIKE '%\\_refund' ESCAPE '\\'")
    .bind(cutoff)
    .all<{ user_id: string }>();
  const insert = `INSERT INTO points_ledger (id, user_id, delta, reason, ref, created_at)
    SELECT ?3, ?2, -n, 'expire', ?4, ?5 FROM (SELECT ${EXPIRABLE} AS n FROM points_ledger WHERE user_id = ?2) WHERE n > 0
    ON CONFLICT (ref) DO NOTHING`;
  for (let i = 0; i < results.length; i += 50) {
    await d1.batch(
      results.slice(i, i + 50).map((r) => d1.prepare(insert).bind(cutoff, r.user_id, newId('pts'), `expire:${r.user_id}:${date}`, ctx.now)),
    );
  }
  const total = await d1
    .prepare("SELECT count(*) AS shoppers, coalesce(-sum(delta), 0) AS points FROM points_ledger WHERE reason = 'expire' AND ref LIKE ?1")
    .bind(`expire:%:${date}`)
    .first<{ shoppers: number; points: number }>();
  const shoppers = Number(total?.shoppers ?? 0);
  const points = Number(total?.points ?? 0);
  await ctx.db.insert(pointsExpiryRuns).values({ expiryDate: date, cutoff, shoppers, points, finishedAt: ctx.now }).onConflictDoNothing();
  if (points > 0) ctx.log.info('points expired', { date, shoppers, points });
  return { date, shoppers, points };
}

/** Expiry runs, newest first (the console's rules page shows them). */
export async function listExpiryRuns(ctx: Ctx, limit = 12) {
  const rows = await ctx.db
    .select()
    .from(pointsExpiryRuns)
    .orderBy(sql`${pointsExpiryRuns.expiryDate} DESC`)
    .limit(limit);
  return rows.map((r) => ({
    date: r.expiryDate,
    shoppers: r.shoppers,
    points: r.points,
    finishedAt: new Date(r.finishedAt).toISOString(),
  }));
}
