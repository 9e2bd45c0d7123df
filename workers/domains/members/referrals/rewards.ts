// The statements that decide a referral and record what it granted, for the reward flow's one
// D1 batch (workers/flows/referral-rewards.ts). Guards in SQL make each decision exactly once,
// and keep the per-inviter daily cap under a burst of final orders.
import { eq } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { guard, stmt } from '../../../shared/db';
import { newId } from '../../../shared/ids';
import { shanghaiDay } from '../../../shared/calendar';
import type { ReferralRow } from './referrals.service';
import { referralRewards, type ReferralInvalidReason, type ReferralReward } from './schema';

export type RewardRow = typeof referralRewards.$inferSelect;
export type { ReferralInvalidReason };
export type Side = 'inviter' | 'invitee';

/** The ledger ref (and coupon grant key) of one side's reward: written once per invitee, ever. */
export const rewardRef = (inviteeId: string, side: Side) => `referral:${inviteeId}:${side}`;
/** The ref of a clawback's negative entry. */
export const clawbackRef = (inviteeId: string, side: Side) => `referral:${inviteeId}:${side}:clawback`;

/** Points a points reward is worth for an order that kept `netPaid` fen. */
export function pointsOf(r: Extract<ReferralReward, { type: 'points' }>, netPaid: number): number {
  return r.points + Math.floor(netPaid / 100) * r.perYuan;
}

/**
 * Marks the referral rewarded by `orderId` — only if it is still undecided — then checks the
 * inviter's rewarded count for today (Beijing), this one included, is within `dailyCap`. The
 * batch is one transaction, so of a burst of final orders only `dailyCap` pass the second guard;
 * the others fail whole and are marked 无效 (daily_cap) by the flow.
 */
export function rewardDecisionStatements(ctx: Ctx, r: ReferralRow, orderId: string, dailyCap: number): D1PreparedStatement[] {
  const d1 = ctx.env.DB;
  const day = shanghaiDay(ctx.now);
  return [
    guard(d1, "SELECT count(*) = 1 FROM referrals WHERE id = ?1 AND status = 'registered'", r.id),
    d1
      .prepare("UPDATE referrals SET status = 'rewarded', order_id = ?2, decided_at = ?3, decided_day = ?4 WHERE id = ?1")
      .bind(r.id, orderId, ctx.now, day),
    guard(
      d1,
      "SELECT count(*) <= ?3 FROM referrals WHERE inviter_id = ?1 AND decided_day = ?2 AND status = 'rewarded'",
      r.inviterId,
      day,
      dailyCap,
    ),
  ];
}

/** How many invites the inviter has had rewarded today (Beijing). */
export async function rewardedToday(ctx: Ctx, inviterId: string): Promise<number> {
  const row = await ctx.env.DB.prepare(
    "SELECT count(*) AS n FROM referrals WHERE inviter_id = ?1 AND decided_day = ?2 AND status = 'rewarded'",
  )
    .bind(inviterId, shanghaiDay(ctx.now))
    .first<{ n: number }>();
  return Number(row?.n ?? 0);
}

/**
 * Marks an undecided referral 无效 for `reason` (the binding stays). False when it was decided
 * meanwhile (a concurrent delivery).
 */
export async function markInvalid(ctx: Ctx, r: ReferralRow, orderId: string, reason: ReferralInvalidReason): Promise<boolean> {
  const res = await ctx.env.DB.prepare(
    "UPDATE referrals SET status = 'invalid', invalid_reason = ?2, order_id = ?3, decided_at = ?4, decided_day = ?5 WHERE id = ?1 AND status = 'registered'",
  )
    .bind(r.id, reason, orderId, ctx.now, shanghaiDay(ctx.now))
    .run();
  return res.meta.changes === 1;
}

/** The record of one side's grant, in the grant's batch (`ref` unique: a repeat fails as 'unique'). */
export function rewardRowStatement(
  ctx: Ctx,
  g: {
    referralId: string;
    inviteeId: string;
    side: Side;
    userId: string;
    kind: RewardRow['kind'];
    amount: number;
    couponId?: string | null;
  },
): D1PreparedStatement {
  return stmt(
    ctx.env.DB,
    ctx.db.insert(referralRewards).values({
      id: newId('rfr'),
      referralId: g.referralId,
      side: g.side,
      userId: g.userId,
      kind: g.kind,
      amount: g.amount,
      couponId: g.couponId ?? null,
      ref: rewardRef(g.inviteeId, g.side),
      createdAt: ctx.now,
    }),
  );
}

export function rewardsOfReferral(ctx: Ctx, referralId: string): Promise<RewardRow[]> {
  return ctx.db.select().from(referralRewards).where(eq(referralRewards.referralId, referralId));
}

/**
 * Opens a clawback in the caller's batch: guarded on the referral still being rewarded and not
 * clawed back (so two refunds, or a refund and a revocation, take back once), it becomes 无效 with
 * `reason` and the note.
 */
export function clawbackDecisionStatements(ctx: Ctx, r: ReferralRow, reason: 'refunded' | 'revoked', note: string): D1PreparedStatement[] {
  const d1 = ctx.env.DB;
  return [
    guard(d1, "SELECT count(*) = 1 FROM referrals WHERE id = ?1 AND status = 'rewarded' AND clawed_back_at IS NULL", r.id),
    d1
      .prepare("UPDATE referrals SET status = 'invalid', invalid_reason = ?2, clawed_back_at = ?3, clawback_note = ?4 WHERE id = ?1")
      .bind(r.id, reason, ctx.now, note),
  ];
}

/** Records what a clawback took back of one reward and what it could not (spent already). */
export function clawbackRowStatement(ctx: Ctx, rewardId: string, taken: number, shortfall: number): D1PreparedStatement {
  return ctx.env.DB.prepare('UPDATE referral_rewards SET clawed_back = ?2, shortfall = ?3, clawed_back_at = ?4 WHERE id = ?1').bind(
    rewardId,
    taken,
    shortfall,
    ctx.now,
  );
}
