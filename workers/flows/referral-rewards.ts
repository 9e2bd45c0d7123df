// 老带新 rewards: granted once the invitee's first order is final (completed, after-sales window
// closed — the final-order hook), blocked by the fraud checks, capped per inviter per Beijing
// day, and clawed back when a refund reaches the rewarding order afterwards (or staff revoke it).
// Spans members (referrals, points, wallet), promotions (coupons), users and addresses.
import type { Ctx } from '../shared/context';
import { batchFailure } from '../shared/db';
import { conflict, forbidden } from '../shared/errors';
import { addressFingerprints } from '../domains/addresses/addresses.service';
import { phoneBlindIndex, phoneHashOf } from '../domains/users/users.service';
import { getOrderRow } from '../domains/orders/orders.service';
import { pointsBalance, pointsEntryStatement, spendPointsStatements } from '../domains/members/points.service';
import { spendWalletStatements, walletBalance, walletEntryStatement } from '../domains/members/wallet/wallet.service';
import { couponByGrant, couponFaceValue, issueCouponStatements, revokeCouponStatements } from '../domains/promotions/coupons/issue';
import { templateRow } from '../domains/promotions/coupons/templates.service';
import { referralProgramme, type ReferralProgramme } from '../domains/members/referrals/settings';
import {
  referralById,
  referralOfInvitee,
  rewardedReferralOfOrder,
  shareDevice,
  type ReferralRow,
} from '../domains/members/referrals/referrals.service';
import {
  clawbackDecisionStatements,
  clawbackRef,
  clawbackRowStatement,
  markInvalid,
  pointsOf,
  rewardDecisionStatements,
  rewardedToday,
  rewardRef,
  rewardRowStatement,
  rewardsOfReferral,
  type ReferralInvalidReason,
  type Side,
} from '../domains/members/referrals/rewards';

/** What the reward needs of a final order (flows/order-final.ts's FinalOrder fits). */
export interface FinalOrderFacts {
  orderId: string;
  userId: string;
  /** fen the shopper kept paying for: paid − refunded */
  netPaid: number;
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

async function phoneSet(ctx: Ctx, userId: string, addressPhones: string[]): Promise<Set<string>> {
  const own = await phoneHashOf(ctx, userId);
  const hashed = await Promise.all(addressPhones.map((p) => phoneBlindIndex(ctx, p)));
  return new Set([...(own ? [own] : []), ...hashed]);
}

/**
 * Why this pair must not be rewarded, or null: the same device, the same phone (an account phone
 * or a recipient phone of either's addresses), or the same delivery address.
 */
export async function referralFraudReason(ctx: Ctx, inviterId: string, inviteeId: string): Promise<ReferralInvalidReason | null> {
  if (await shareDevice(ctx, inviterId, inviteeId)) return 'same_device';
  const [a, b] = await Promise.all([addressFingerprints(ctx, inviterId), addressFingerprints(ctx, inviteeId)]);
  const [pa, pb] = await Promise.all([phoneSet(ctx, inviterId, a.phones), phoneSet(ctx, inviteeId, b.phones)]);
  if ([...pb].some((h) => pa.has(h))) return 'same_phone';
  const places = new Set(a.places);
  if (b.places.some((p) => places.has(p))) return 'same_address';
  return null;
}

interface Grants {
  stmts: D1PreparedStatement[];
  /** sides whose reward is a coupon (the part of a batch that can run out) */
  couponSides: Side[];
}

/** The statements granting both sides' rewards; `skipCoupon` sides get no coupon (it ran out). */
async function grantStatements(ctx: Ctx, r: ReferralRow, o: FinalOrderFacts, p: ReferralProgramme, skipCoupon: Set<Side>): Promise<Grants> {
  const out: Grants = { stmts: [], couponSides: [] };
  const sides: [Side, string][] = [
    ['inviter', r.inviterId],
    ['invitee', r.inviteeId],
  ];
  for (const [side, userId] of sides) {
    const reward = side === 'inviter' ? p.inviterReward : p.inviteeReward;
    const ref = rewardRef(r.inviteeId, side);
    const base = { referralId: r.id, inviteeId: r.inviteeId, side, userId };
    if (reward.type === 'points') {
      const amount = pointsOf(reward, o.netPaid);
      if (amount <= 0) continue;
      out.stmts.push(pointsEntryStatement(ctx, { userId, delta: amount, reason: `referral_${side}`, ref }));
      out.stmts.push(rewardRowStatement(ctx, { ...base, kind: 'points', amount }));
    } else if (reward.type === 'cash') {
      out.stmts.push(walletEntryStatement(ctx, { userId, delta: reward.amount, reason: 'referral_rebate', ref }));
      out.stmts.push(rewardRowStatement(ctx, { ...base, kind: 'cash', amount: reward.amount }));
    } else if (reward.type === 'coupon') {
      if (skipCoupon.has(side)) continue;
      const t = await templateRow(ctx, reward.couponTemplateId).catch(() => null);
      if (!t || !t.channels.includes('referral')) {
        ctx.log.warn('referral coupon template unusable', { templateId: reward.couponTemplateId, side });
        continue;
      }
      const issued = issueCouponStatements(ctx, t, { userId, channel: 'referral', grantKey: ref, enforcePerUserLimit: false });
      out.stmts.push(...issued.stmts);
      out.stmts.push(rewardRowStatement(ctx, { ...base, kind: 'coupon', amount: couponFaceValue(t), couponId: issued.couponId }));
      out.couponSides.push(side);
    }
  }
  return out;
}

export type RewardOutcome = 'no_referral' | 'decided' | 'programme_off' | 'below_minimum' | 'blocked' | 'capped' | 'rewarded';

/**
 * The final-order hook: when the invitee's first qualifying order is final, both sides get their
 * rewards in ONE batch with the decision (guarded: still undecided, inviter under today's cap).
 * Idempotent per invitee: a redelivery, a second order or a concurrent copy finds it decided (or
 * hits the unique refs `referral:<inviteeId>:inviter|invitee`) and grants nothing. An order below
 * the minimum (or fully refunded) leaves the referral open for a later order.
 */
export async function rewardReferralOnFinalOrder(ctx: Ctx, o: FinalOrderFacts): Promise<RewardOutcome> {
  const r = await referralOfInvitee(ctx, o.userId);
  if (!r) return 'no_referral';
  if (r.status !== 'registered') return 'decided';
  const p = await referralProgramme(ctx);
  if (!p.enabled) return 'programme_off';
  if (o.netPaid <= 0 || o.netPaid < p.minOrderAmount) return 'below_minimum';

  const fraud = await referralFraudReason(ctx, r.inviterId, r.inviteeId);
  if (fraud) {
    if (await markInvalid(ctx, r, o.orderId, fraud))
      ctx.log.info('referral reward blocked', { referralId: r.id, reason: fraud, orderId: o.orderId });
    return 'blocked';
  }

  const skip = new Set<Side>();
  for (let attempt = 0; attempt < 3; attempt++) {
    const grants = await grantStatements(ctx, r, o, p, skip);
    try {
      await ctx.env.DB.batch([...rewardDecisionStatements(ctx, r, o.orderId, p.dailyCap), ...grants.stmts]);
      ctx.log.info('referral rewarded', { referralId: r.id, orderId: o.orderId, inviterId: r.inviterId, inviteeId: r.inviteeId });
      return 'rewarded';
    } catch (e) {
      const kind = batchFailure(e);
      if (kind === null) throw e;
      const now = await referralOfInvitee(ctx, o.userId);
      if (now && now.status !== 'registered') return 'decided'; // a concurrent delivery decided it
      if ((await rewardedToday(ctx, r.inviterId)) >= p.dailyCap) {
        if (await markInvalid(ctx, r, o.orderId, 'daily_cap'))
          ctx.log.info('referral reward over the daily cap', { referralId: r.id, inviterId: r.inviterId });
        return 'capped';
      }
      // What else can fail is a coupon (sold out, disabled, over its campaign's budget): grant the rest.
      const left = grants.couponSides.filter((s) => !skip.has(s));
      if (left.length === 0) throw e;
      for (const s of left) skip.add(s);
      ctx.log.warn('referral coupon not issued; granting the rest', { referralId: r.id, sides: left, failure: kind });
    }
  }
  throw conflict('members.busy', 'the referral changed while rewarding it; retrying');
}

/**
 * Takes a rewarded referral's grants back, once: points and balance down to what is left (never
 * below zero — the shortfall is recorded), an unused coupon withdrawn (a used one is shortfall).
 * One batch guarded on the referral still being rewarded; a balance that moved meanwhile fails a
 * guard and the whole thing is read and tried again.
 */
export async function clawBackReferral(ctx: Ctx, referralId: string, reason: 'refunded' | 'revoked', note: string): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const r = await referralById(ctx, referralId);
    if (r.status !== 'rewarded' || r.clawedBackAt != null) return false;
    const stmts = [...clawbackDecisionStatements(ctx, r, reason, note)];
    for (const g of await rewardsOfReferral(ctx, r.id)) {
      const ref = clawbackRef(r.inviteeId, g.side);
      if (g.kind === 'points' || g.kind === 'cash') {
        const balance = g.kind === 'points' ? await pointsBalance(ctx, g.userId) : await walletBalance(ctx, g.userId);
        const take = Math.max(0, Math.min(g.amount, balance));
        if (take > 0) {
          const spend = { userId: g.userId, amount: take, reason: 'referral_clawback', ref };
          stmts.push(...(g.kind === 'points' ? spendPointsStatements(ctx, spend) : spendWalletStatements(ctx, spend)));
        }
        stmts.push(clawbackRowStatement(ctx, g.id, take, g.amount - take));
      } else {
        const c = await couponByGrant(ctx, g.userId, rewardRef(r.inviteeId, g.side));
        const unused = c && c.status === 'available' && c.checkoutId == null;
        if (unused && c.validTo > ctx.now) stmts.push(...revokeCouponStatements(ctx, c.id));
        // an unused coupon (withdrawn now, or expired) is taken back whole; a used one is shortfall
        stmts.push(clawbackRowStatement(ctx, g.id, unused ? g.amount : 0, unused ? 0 : g.amount));
      }
    }
    try {
      await ctx.env.DB.batch(stmts);
      ctx.log.info('referral clawed back', { referralId: r.id, reason });
      return true;
    } catch (e) {
      const kind = batchFailure(e);
      if (kind !== 'guard' && kind !== 'unique') throw e;
      // a balance was spent or a coupon used meanwhile, or a concurrent clawback won: read again
    }
  }
  throw conflict('members.busy', 'the balances changed while clawing back; try again');
}

/**
 * After a refund succeeded on an order: if that order earned a referral reward and now keeps
 * less than the programme's minimum (or nothing), the rewards are clawed back.
 */
export async function clawBackReferralOnRefund(ctx: Ctx, orderId: string): Promise<boolean> {
  const r = await rewardedReferralOfOrder(ctx, orderId);
  if (!r) return false;
  const o = await getOrderRow(ctx, orderId);
  const kept = o.paidTotal - o.refundedTotal;
  const p = await referralProgramme(ctx);
  if (kept > 0 && kept >= p.minOrderAmount) return false;
  return clawBackReferral(ctx, r.id, 'refunded', `订单 ${o.orderNo} 退款 ¥${yuan(o.refundedTotal)}`);
}

/** revokeReferralReward (staff, members.write): withdraws a rewarded referral's grants with a note. */
export async function revokeReferralReward(ctx: Ctx, referralId: string, note: string): Promise<void> {
  if (ctx.actor.kind !== 'staff') throw forbidden('this is for staff');
  const r = await referralById(ctx, referralId);
  if (r.status !== 'rewarded') throw conflict('members.referral_not_rewarded', 'only a rewarded referral can be revoked');
  if (!(await clawBackReferral(ctx, r.id, 'revoked', note)))
    throw conflict('members.referral_not_rewarded', 'this referral was clawed back meanwhile');
}
