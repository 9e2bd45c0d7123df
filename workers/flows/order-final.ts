import type { Ctx } from '../shared/context';
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
const HOOKS: FinalOrderHook[] = [{ name: 'referral rewards', run: rewardReferralOnFinalOrder }];

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
