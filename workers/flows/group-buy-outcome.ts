import type { Ctx } from '../shared/context';
import { batchFailure } from '../shared/db';
import { heldOrderIdsOfTeam, ordersByHoldIds, releaseFulfilmentHoldStatements } from '../domains/orders/promo-orders';
import { teamFinalStatement } from '../domains/group-buys/group-buys.service';
import type { TeamOutcomeData } from '../domains/group-buys/events';
import { refundPaidOrder } from './system-refund';

const TEAM_FAILED_REASON = '拼团失败，自动退款';

/**
 * The team is full: every paid order of it may ship now. Each order's hold is cleared in a batch
 * guarded on the hold still being there, with a 成团 timeline entry — so a second call (the
 * payment path and the DO's outbox message both report success) records it once.
 */
export async function completeTeam(ctx: Ctx, teamId: string): Promise<number> {
  let released = 0;
  for (const orderId of await heldOrderIdsOfTeam(ctx, teamId)) {
    try {
      await ctx.env.DB.batch(releaseFulfilmentHoldStatements(ctx, orderId, '拼团成功，等待发货'));
      released++;
    } catch (e) {
      if (batchFailure(e) !== 'guard') throw e;
    }
  }
  await ctx.env.DB.batch([teamFinalStatement(ctx, teamId, 'succeeded')]);
  return released;
}

/**
 * The team ran out of time: every paid member is refunded in full through the payments refund
 * path, with a refund number derived from the order (rfg_<order>) that our refunds table and
 * WeChat both dedupe — so a redelivered message or an alarm that fired twice refunds once.
 */
export async function failTeam(ctx: Ctx, data: TeamOutcomeData): Promise<number> {
  const seatIds = data.seats.filter((s) => s.role !== 'virtual').map((s) => s.seatId);
  let refunded = 0;
  for (const o of await ordersByHoldIds(ctx, seatIds)) {
    const r = await refundPaidOrder(ctx, o.id, TEAM_FAILED_REASON, `rfg_${o.id.slice(4)}`);
    if (r === 'refunded') refunded++;
  }
  await ctx.env.DB.batch([teamFinalStatement(ctx, data.teamId, 'failed')]);
  return refunded;
}
