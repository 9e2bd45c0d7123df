// The members cron: 保级 reviews (downgrade only here) and birthday gifts, each exactly once.
import { and, asc, desc, eq, isNotNull, lte } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { batchFailure, stmt } from '../../../shared/db';
import { newId } from '../../../shared/ids';
import { shanghaiDay } from '../../../shared/calendar';
import { listUserIdsByBirthday } from '../../users/users.service';
import { pointsEntryStatement } from '../points.service';
import { issueCouponStatements } from '../../promotions/coupons/issue';
import { templateRow } from '../../promotions/coupons/templates.service';
import { addMonths, isLeapYear } from './period';
import { birthdayGifts, memberJobRuns, memberStates, type TierChangeReason } from './schema';
import { getGrowthSettings } from './settings.service';
import { activeTiers, currentTierOf, tierForGrowth, tiersById } from './tiers.service';
import { growthBetween } from './growth.service';

/** Reviews handled per cron run (the rest wait a minute). */
const REVIEWS_PER_RUN = 200;

/**
 * Cron: every shopper whose 保级 period has ended is reviewed on the growth earned in that period
 * [reviewAt − reviewMonths, reviewAt]: kept and renewed when it still reaches the tier
 * ('review_keep'), lowered to the tier it reaches ('review_downgrade'), or raised if thresholds
 * were lowered meanwhile ('upgrade'). Each review writes its change row under the unique ref
 * `review:<userId>:<reviewAt>` in the same batch as a state update guarded on that reviewAt, so a
 * review happens exactly once however often (or concurrently) the cron runs.
 */
export async function runTierReviews(ctx: Ctx): Promise<{ reviewed: number; kept: number; lowered: number; raised: number }> {
  const out = { reviewed: 0, kept: 0, lowered: 0, raised: 0 };
  const due = await ctx.db
    .select()
    .from(memberStates)
    .where(and(isNotNull(memberStates.reviewAt), lte(memberStates.reviewAt, ctx.now)))
    .orderBy(asc(memberStates.reviewAt))
    .limit(REVIEWS_PER_RUN);
  if (due.length === 0) return out;
  const [s, tiers] = await Promise.all([getGrowthSettings(ctx), activeTiers(ctx)]);
  if (tiers.length === 0) return out;
  const byId = await tiersById(
    ctx,
    due.map((d) => d.tierId),
  );
  const lowest = tiers[0]!;
  const d1 = ctx.env.DB;
  for (const st of due) {
    const reviewAt = st.reviewAt!;
    const cur = byId.get(st.tierId);
    const growth = await growthBetween(ctx, st.userId, addMonths(reviewAt, -s.reviewMonths), reviewAt);
    const earned = tierForGrowth(tiers, growth)!;
    const curRank = cur?.rank ?? -1;
    const reason: TierChangeReason = earned.rank < curRank ? 'review_downgrade' : earned.rank > curRank ? 'upgrade' : 'review_keep';
    const to = reason === 'review_keep' && cur ? cur : earned;
    // The next period runs on from this review (not from when the cron got to it).
    const next = to.id === lowest.id ? null : addMonths(reviewAt, s.reviewMonths);
    const ref = `review:${st.userId}:${reviewAt}`;
    const note =
      reason === 'review_keep'
        ? `保级成功：周期内成长值${growth}`
        : reason === 'review_downgrade'
          ? `保级未达标：周期内成长值${growth}，低于${cur?.name ?? ''}门槛${cur?.threshold ?? ''}`
          : `等级门槛调整，周期内成长值${growth}`;
    try {
      await d1.batch([
        d1
          .prepare(
            `INSERT INTO member_tier_changes (id, user_id, from_tier_id, from_name, to_tier_id, to_name, reason, growth, ref, note, staff_id, created_at)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULL, ?11
             WHERE EXISTS (SELECT 1 FROM member_states WHERE user_id = ?2 AND review_at = ?12 AND tier_id = ?3)`,
          )
          .bind(newId('tch'), st.userId, st.tierId, cur?.name ?? null, to.id, to.name, reason, growth, ref, note, ctx.now, reviewAt),
        stmt(
          d1,
          ctx.db
            .update(memberStates)
            .set({ tierId: to.id, tierSince: reason === 'review_keep' ? st.tierSince : reviewAt, reviewAt: next, updatedAt: ctx.now })
            .where(and(eq(memberStates.userId, st.userId), eq(memberStates.reviewAt, reviewAt), eq(memberStates.tierId, st.tierId))),
        ),
      ]);
    } catch (e) {
      if (batchFailure(e) === 'unique') continue; // reviewed by a concurrent run
      throw e;
    }
    out.reviewed += 1;
    if (reason === 'review_keep') out.kept += 1;
    else if (reason === 'review_downgrade') out.lowered += 1;
    else out.raised += 1;
  }
  if (out.reviewed) ctx.log.info('member tier reviews', out);
  return out;
}

const BIRTHDAY_JOB = 'birthday';
const BIRTHDAY_PAGE = 100;
const BIRTHDAY_PAGES_PER_RUN = 5;

/**
 * Cron: on each Beijing day, the birthday gift of every shopper born on it (29 February counts on
 * 28 February in other years), from their tier's perk: points or a coupon. Exactly once a year:
 * the gift row is unique per (shopper, year) and the points/coupon carry the ref
 * `birthday:<userId>:<year>`, in one batch. The day's progress is kept in member_job_runs, so each
 * minute continues where the last stopped and a finished day costs one read.
 */
export async function runBirthdayGifts(ctx: Ctx): Promise<{ granted: number; failed: number; done: boolean }> {
  const day = shanghaiDay(ctx.now);
  const year = Number(day.slice(0, 4));
  const md = day.slice(5);
  const mds = md === '02-28' && !isLeapYear(year) ? ['02-28', '02-29'] : [md];
  const out = { granted: 0, failed: 0, done: false };
  await ctx.db
    .insert(memberJobRuns)
    .values({ job: BIRTHDAY_JOB, day, cursor: null, done: false, updatedAt: ctx.now })
    .onConflictDoNothing();
  const [run] = await ctx.db
    .select()
    .from(memberJobRuns)
    .where(and(eq(memberJobRuns.job, BIRTHDAY_JOB), eq(memberJobRuns.day, day)))
    .limit(1);
  if (!run || run.done) return { ...out, done: true };
  let cursor = run.cursor;
  for (let page = 0; page < BIRTHDAY_PAGES_PER_RUN; page++) {
    const ids = await listUserIdsByBirthday(ctx, mds, cursor, BIRTHDAY_PAGE);
    for (const userId of ids) {
      const r = await grantBirthdayGift(ctx, userId, year);
      if (r === 'granted') out.granted += 1;
      if (r === 'failed') out.failed += 1;
    }
    if (ids.length) cursor = ids[ids.length - 1]!;
    if (ids.length < BIRTHDAY_PAGE) {
      out.done = true;
      break;
    }
  }
  await ctx.db
    .update(memberJobRuns)
    .set({ cursor, done: out.done, updatedAt: ctx.now })
    .where(and(eq(memberJobRuns.job, BIRTHDAY_JOB), eq(memberJobRuns.day, day)));
  if (out.granted || out.failed) ctx.log.info('birthday gifts', { day, ...out });
  return out;
}

/**
 * One shopper's birthday gift for `year`, from their tier now. 'none' when the tier gives none,
 * 'already' when this year's was given; a coupon that cannot be issued (template disabled, sold
 * out, over budget) is recorded as 'failed' with why, so staff see it and it is not retried all day.
 */
export async function grantBirthdayGift(ctx: Ctx, userId: string, year: number): Promise<'granted' | 'failed' | 'already' | 'none'> {
  const { tier } = await currentTierOf(ctx, userId);
  if (!tier || tier.birthdayGiftKind === 'none') return 'none';
  const ref = `birthday:${userId}:${year}`;
  const base = { id: newId('bdg'), userId, year, tierId: tier.id, createdAt: ctx.now };
  const d1 = ctx.env.DB;
  let stmts: D1PreparedStatement[];
  if (tier.birthdayGiftKind === 'points') {
    const points = tier.birthdayPoints ?? 0;
    stmts = [
      stmt(d1, ctx.db.insert(birthdayGifts).values({ ...base, kind: 'points', points, status: 'granted', note: `${tier.name}生日积分` })),
      pointsEntryStatement(ctx, { userId, delta: points, reason: 'birthday', ref }),
    ];
  } else {
    const t = await templateRow(ctx, tier.birthdayCouponTemplateId ?? '').catch(() => null);
    if (!t) return recordFailure(ctx, base, '生日礼券的券模板不存在');
    const issued = issueCouponStatements(ctx, t, { userId, channel: 'member_perk', grantKey: ref, enforcePerUserLimit: false });
    stmts = [
      stmt(
        d1,
        ctx.db
          .insert(birthdayGifts)
          .values({ ...base, kind: 'coupon', couponId: issued.couponId, status: 'granted', note: `${tier.name}生日礼券「${t.name}」` }),
      ),
      ...issued.stmts,
    ];
  }
  try {
    await d1.batch(stmts);
    return 'granted';
  } catch (e) {
    const kind = batchFailure(e);
    if (kind === 'unique') return 'already';
    if (kind === 'check' || kind === 'guard') return recordFailure(ctx, base, '生日礼券已领完、已停用或活动预算不足');
    throw e;
  }
}

async function recordFailure(
  ctx: Ctx,
  base: { id: string; userId: string; year: number; tierId: string; createdAt: number },
  note: string,
) {
  const r = await ctx.db
    .insert(birthdayGifts)
    .values({ ...base, kind: 'coupon', status: 'failed', note })
    .onConflictDoNothing();
  ctx.log.warn('birthday gift not granted', { userId: base.userId, year: base.year, note });
  return r.meta.changes === 1 ? ('failed' as const) : ('already' as const);
}

/** A shopper's birthday gift records, newest first. */
export async function birthdayGiftsOf(ctx: Ctx, userId: string) {
  return ctx.db.select().from(birthdayGifts).where(eq(birthdayGifts.userId, userId)).orderBy(desc(birthdayGifts.year)).limit(20);
}
