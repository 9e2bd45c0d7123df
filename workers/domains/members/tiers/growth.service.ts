// Growth value (成长值): the append-only ledger, the upgrade it triggers at once, and what an order
// earns when it is final (growth and order points in one batch).
import { and, desc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { batchFailure, guard, stmt } from '../../../shared/db';
import { conflict, forbidden, notFound } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { getUserCreatedAt } from '../../users/users.service';
import { pointsEntryStatement } from '../points.service';
import type { AdjustGrowthInput, GrowthSettings } from './dto';
import { addMonths } from './period';
import { growthLedger, memberStates, memberTierChanges } from './schema';
import { getGrowthSettings } from './settings.service';
import { activeTiers, currentTierOf, tierBrief } from './tiers.service';

export interface GrowthEntry {
  userId: string;
  delta: number;
  /** 'order' | 'admin' */
  reason: string;
  /** unique over the ledger: the same ref counts once, ever */
  ref: string;
  note?: string | null;
  staffId?: string | null;
}

/** Start of the window growth counts over at `at`: the last reviewMonths (inclusive). */
export const growthWindowStart = (at: number, s: GrowthSettings) => addMonths(at, -s.reviewMonths);

/** Growth earned in [from, to] (to defaults to now). */
export async function growthBetween(ctx: Ctx, userId: string, from: number, to = ctx.now): Promise<number> {
  const [r] = await ctx.db
    .select({ v: sql<number>`coalesce(sum(${growthLedger.delta}), 0)` })
    .from(growthLedger)
    .where(and(eq(growthLedger.userId, userId), gte(growthLedger.createdAt, from), lte(growthLedger.createdAt, to)));
  return Number(r?.v ?? 0);
}

/** All growth ever earned. */
export async function totalGrowth(ctx: Ctx, userId: string): Promise<number> {
  const [r] = await ctx.db
    .select({ v: sql<number>`coalesce(sum(${growthLedger.delta}), 0)` })
    .from(growthLedger)
    .where(eq(growthLedger.userId, userId));
  return Number(r?.v ?? 0);
}

/**
 * Statements for the caller's batch: the growth entry, then — decided in SQL on the sum after it,
 * so concurrent entries never miss a threshold — an upgrade to the highest active tier the
 * window's growth reaches, if above the current one: a change row (ref `upgrade:<ref>`) and the
 * state moved to it, with a fresh 保级 period. Never a downgrade: that waits for the review.
 * The entry's unique ref makes a repeated batch fail as 'unique' (already counted).
 */
export function growthStatements(ctx: Ctx, e: GrowthEntry, s: GrowthSettings): D1PreparedStatement[] {
  const d1 = ctx.env.DB;
  const changeRef = `upgrade:${e.ref}`;
  const from = growthWindowStart(ctx.now, s);
  return [
    stmt(
      d1,
      ctx.db.insert(growthLedger).values({
        id: newId('grw'),
        userId: e.userId,
        delta: e.delta,
        reason: e.reason,
        ref: e.ref,
        note: e.note ?? null,
        createdAt: ctx.now,
      }),
    ),
    // A shopper without a state row is in the lowest tier: give them one so the upgrade has a "from".
    d1
      .prepare(
        `INSERT OR IGNORE INTO member_states (user_id, tier_id, tier_since, review_at, updated_at)
         SELECT ?1, id, ?2, NULL, ?2 FROM member_tiers WHERE status = 'active' ORDER BY rank LIMIT 1`,
      )
      .bind(e.userId, ctx.now),
    d1
      .prepare(
        `INSERT INTO member_tier_changes (id, user_id, from_tier_id, from_name, to_tier_id, to_name, reason, growth, ref, note, staff_id, created_at)
         SELECT ?1, s.user_id, s.tier_id, cur.name, t.id, t.name, 'upgrade', g.v, ?2, ?3, ?4, ?5
         FROM member_states s, member_tiers cur,
              (SELECT coalesce(sum(delta), 0) AS v FROM growth_ledger WHERE user_id = ?6 AND created_at >= ?7) g,
              member_tiers t
         WHERE s.user_id = ?6 AND cur.id = s.tier_id
           AND t.id = (SELECT id FROM member_tiers WHERE status = 'active' AND threshold <= g.v ORDER BY rank DESC LIMIT 1)
           AND t.rank > cur.rank`,
      )
      .bind(newId('tch'), changeRef, e.note ?? null, e.staffId ?? null, ctx.now, e.userId, from),
    d1
      .prepare(
        `UPDATE member_states SET tier_id = (SELECT to_tier_id FROM member_tier_changes WHERE ref = ?1),
           tier_since = ?2, review_at = ?3, updated_at = ?2
         WHERE user_id = ?4 AND EXISTS (SELECT 1 FROM member_tier_changes WHERE ref = ?1)`,
      )
      .bind(changeRef, ctx.now, addMonths(ctx.now, s.reviewMonths), e.userId),
  ];
}

/** What an order earns once final (pure): growth from net paid and frequency, points × the tier's multiplier. */
export function orderEarnings(netPaid: number, s: GrowthSettings, pointsMultiplier: number): { growth: number; points: number } {
  if (netPaid <= 0) return { growth: 0, points: 0 };
  return {
    growth: Math.floor((netPaid * s.growthPerYuan) / 100) + s.growthPerOrder,
    points: Math.floor((netPaid * s.pointsPerYuan * pointsMultiplier) / 10_000),
  };
}

export type EarnResult = { growth: number; points: number; result: 'earned' | 'already_earned' | 'nothing' };

/**
 * The final-order hook (flows/order-final.ts): growth (ref `order:<orderId>`) and order points
 * (reason 'order', ref `order:<orderId>`) in ONE batch, with the upgrade it may trigger. Points
 * are earned only now — completed, after-sales window closed, settled — so a refund never has to
 * claw them back, and net paid (paid − refunded) is final. The multiplier is that of the tier the
 * shopper is in before this order's growth. A redelivery (or a concurrent run) hits the unique
 * refs and changes nothing.
 */
export async function earnOnFinalOrder(ctx: Ctx, o: { orderId: string; userId: string; netPaid: number }): Promise<EarnResult> {
  const [s, { tier }] = await Promise.all([getGrowthSettings(ctx), currentTierOf(ctx, o.userId)]);
  const { growth, points } = orderEarnings(o.netPaid, s, tier?.pointsMultiplier ?? 100);
  if (growth <= 0 && points <= 0) return { growth: 0, points: 0, result: 'nothing' };
  const ref = `order:${o.orderId}`;
  const stmts: D1PreparedStatement[] = [];
  if (growth > 0) stmts.push(...growthStatements(ctx, { userId: o.userId, delta: growth, reason: 'order', ref }, s));
  if (points > 0) stmts.push(pointsEntryStatement(ctx, { userId: o.userId, delta: points, reason: 'order', ref }));
  try {
    await ctx.env.DB.batch(stmts);
  } catch (e) {
    if (batchFailure(e) === 'unique') return { growth, points, result: 'already_earned' };
    throw e;
  }
  ctx.log.info('order growth and points earned', { orderId: o.orderId, userId: o.userId, growth, points });
  return { growth, points, result: 'earned' };
}

/**
 * adjustMemberGrowth (members.write): adds or takes away growth with a reason. Staff refs are
 * stored as `admin:<ref>`; the same ref applies once (a repeat answers `replayed`). Adding can
 * upgrade at once; taking away never downgrades before the review. The total never goes below 0
 * (409 members.not_enough_growth).
 */
export async function adjustGrowth(ctx: Ctx, userId: string, input: AdjustGrowthInput) {
  if (ctx.actor.kind !== 'staff') throw forbidden('this is for staff');
  if ((await getUserCreatedAt(ctx, userId)) === null) throw notFound('members.user_not_found', `user ${userId}`);
  const ref = `admin:${input.ref ?? newId('adj')}`;
  const s = await getGrowthSettings(ctx);
  const answer = async (replayed: boolean) => {
    const { tier } = await currentTierOf(ctx, userId);
    return { growth: await growthBetween(ctx, userId, growthWindowStart(ctx.now, s)), tier: tier ? tierBrief(ctx, tier) : null, replayed };
  };
  const prior = async () => {
    const [p] = await ctx.db.select().from(growthLedger).where(eq(growthLedger.ref, ref)).limit(1);
    if (p && (p.userId !== userId || p.delta !== input.delta))
      throw conflict('members.ref_conflict', 'this ref was already used for a different adjustment', { ref: input.ref });
    return p ?? null;
  };
  if (await prior()) return answer(true);
  const d1 = ctx.env.DB;
  const stmts = growthStatements(
    ctx,
    { userId, delta: input.delta, reason: 'admin', ref, note: input.reason, staffId: ctx.actor.staffId },
    s,
  );
  if (input.delta < 0) stmts.push(guard(d1, 'SELECT coalesce(sum(delta), 0) >= 0 FROM growth_ledger WHERE user_id = ?1', userId));
  try {
    await d1.batch(stmts);
  } catch (e) {
    const kind = batchFailure(e);
    if (kind === 'unique' && (await prior())) return answer(true);
    if (kind === 'guard') throw conflict('members.not_enough_growth', '扣减后成长值将小于0', { total: await totalGrowth(ctx, userId) });
    throw e;
  }
  ctx.log.info('growth adjusted', { userId, delta: input.delta, ref, staffId: ctx.actor.staffId });
  return answer(false);
}

/**
 * setMemberTier (members.write): puts the shopper in a tier now, with the staff's reason, and a
 * fresh 保级 period (none in the lowest tier). The same tier again is 409 members.tier_unchanged,
 * so a retried request changes nothing. Guarded on the state read, so a concurrent change wins once.
 */
export async function setMemberTier(ctx: Ctx, userId: string, input: { tierId: string; reason: string }) {
  if (ctx.actor.kind !== 'staff') throw forbidden('this is for staff');
  if ((await getUserCreatedAt(ctx, userId)) === null) throw notFound('members.user_not_found', `user ${userId}`);
  const tiers = await activeTiers(ctx);
  const to = tiers.find((t) => t.id === input.tierId);
  if (!to) throw notFound('members.tier_not_found', `active member tier ${input.tierId}`);
  const s = await getGrowthSettings(ctx);
  const { tier: from, state } = await currentTierOf(ctx, userId);
  if (from?.id === to.id) throw conflict('members.tier_unchanged', `the shopper is already in ${to.name}`);
  const growth = await growthBetween(ctx, userId, growthWindowStart(ctx.now, s));
  const isLowest = tiers[0]!.id === to.id;
  const d1 = ctx.env.DB;
  const staffId = ctx.actor.staffId;
  const values = { tierId: to.id, tierSince: ctx.now, reviewAt: isLowest ? null : addMonths(ctx.now, s.reviewMonths), updatedAt: ctx.now };
  const stmts = [
    // Only if the state is still what we read (no row, or the same tier and review date).
    state
      ? guard(
          d1,
          'SELECT count(*) = 1 FROM member_states WHERE user_id = ?1 AND tier_id = ?2 AND updated_at = ?3',
          userId,
          state.tierId,
          state.updatedAt,
        )
      : guard(d1, 'SELECT count(*) = 0 FROM member_states WHERE user_id = ?1', userId),
    stmt(
      d1,
      ctx.db
        .insert(memberStates)
        .values({ userId, ...values })
        .onConflictDoUpdate({ target: memberStates.userId, set: values }),
    ),
    stmt(
      d1,
      ctx.db.insert(memberTierChanges).values({
        id: newId('tch'),
        userId,
        fromTierId: from?.id ?? null,
        fromName: from?.name ?? null,
        toTierId: to.id,
        toName: to.name,
        reason: 'admin',
        growth,
        ref: `admin:${newId('set')}`,
        note: input.reason,
        staffId,
        createdAt: ctx.now,
      }),
    ),
  ];
  try {
    await d1.batch(stmts);
  } catch (e) {
    if (batchFailure(e) === 'guard') throw conflict('members.tier_changed', '该会员等级刚刚发生变化，请刷新后重试');
    throw e;
  }
  ctx.log.info('member tier set', { userId, from: from?.id, to: to.id, staffId });
  return { growth, tier: tierBrief(ctx, to), replayed: false };
}

/** Latest growth entries of a shopper, newest first. */
export async function recentGrowthEntries(ctx: Ctx, userId: string, limit = 20) {
  return ctx.db
    .select()
    .from(growthLedger)
    .where(eq(growthLedger.userId, userId))
    .orderBy(desc(growthLedger.createdAt), desc(sql`rowid`))
    .limit(limit);
}
