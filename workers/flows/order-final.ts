import type { Ctx } from '../shared/context';
import { recordTaskEvent } from '../domains/members/tasks/events.service';
import { earnOnFinalOrder } from '../domains/members/tiers/growth.service';
import { rewardReferralOnFinalOrder } from './referral-rewards';

/** An order that is final: completed, its after-sales window closed, every after-sales request finished. */
export interface FinalOrder {
  orderId: string;
  userId: string;
  merchantId: string;
  /** Fen the shopper kept paying for: paidTotal − refundedTotal (never negative). */
  netPaid: number;
  /** When the shopper received it (epoch ms). */
  completedAt: number;
}

type FinalOrderHook = { name: string; run: (ctx: Ctx, o: FinalOrder) => Promise<unknown> };

/**
 * What the growth features do once an order is final. Rewards wait for this moment (rather than
 * payment or receipt) so a refund never has to claw anything back: growth value and order points
 * (members), the inviter's and invitee's rewards (referrals), the first-order task (tasks).
 *
 * Called by the settlement consumer after the order's settlement committed — and again when the
 * same message is redelivered (settleOrder then answers 'already_settled') — so every hook must be
 * idempotent on the order id (a ledger ref such as `order:<id>`). A hook that throws makes the
 * message retry; the others are not undone, and repeat harmlessly.
 */
const HOOKS: FinalOrderHook[] = [
  // 完成首单: counted when the order is final, so a refunded order never earns the task's reward.
  { name: 'first-order task', run: (ctx, o) => recordTaskEvent(ctx, o.userId, 'first_order', `order:${o.orderId}`) },
  // 成长值 and order points (积分) in one batch, refs `order:<id>`; may upgrade the tier at once.
  { name: 'member growth and order points', run: (ctx, o) => earnOnFinalOrder(ctx, o) },
  // 老带新: the invitee's first final order rewards both sides (fraud checks, daily cap).
  { name: 'referral rewards', run: rewardReferralOnFinalOrder },
];

export async function afterOrderFinal(ctx: Ctx, o: FinalOrder): Promise<void> {
  const failures: string[] = [];
  for (const h of HOOKS) {
    try {
      await h.run(ctx, o);
    } catch (e) {
      ctx.log.error('final-order hook failed', { hook: h.name, orderId: o.orderId, err: e instanceof Error ? e.message : String(e) });
      failures.push(h.name);
    }
  }
  if (failures.length) throw new Error(`final-order hooks failed: ${failures.join(', ')}; retrying the message`);
}
