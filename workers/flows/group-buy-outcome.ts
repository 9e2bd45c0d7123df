import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Ctx } from '../shared/context';
import { batchFailure, guard, stmt } from '../shared/db';
import type { QueueMessage } from '../queue';
import { orders } from '../domains/orders/schema';
import { orderEventStatement } from '../domains/orders/order-events';
import { teamFinalStatement } from '../domains/group-buys/group-buys.service';
import type { OutboxData } from '../../durable-objects/group-buy-book';
import { refundPaidOrder } from './system-refund';

export const TEAM_SUCCEEDED_EVENT = 'group_buys.team_succeeded';
export const TEAM_FAILED_EVENT = 'group_buys.team_failed';
export const TEAM_FAILED_REASON = '拼团失败，自动退款';

/**
 * The team is full: every paid order of it may ship now. Each order's hold is cleared in a batch
 * guarded on the hold still being there, with a 成团 timeline entry — so a second call (the
 * payment path and the DO's outbox message both report success) records it once.
 */
export async function completeTeam(ctx: Ctx, teamId: string): Promise<number> {
  const held = await ctx.db.select({ id: orders.id }).from(orders).where(and(eq(orders.teamId, teamId), isNotNull(orders.fulfilmentHold), eq(orders.status, 'paid')));
  const d1 = ctx.env.DB;
  let released = 0;
  for (const o of held) {
    try {
      await d1.batch([
        guard(d1, 'SELECT fulfilment_hold IS NOT NULL FROM orders WHERE id = ?1', o.id),
        stmt(d1, ctx.db.update(orders).set({ fulfilmentHold: null }).where(eq(orders.id, o.id))),
        orderEventStatement(ctx, o.id, { type: 'group_formed', note: '拼团成功，等待发货' }),
      ]);
      released++;
    } catch (e) {
      if (batchFailure(e) !== 'guard') throw e;
    }
  }
  await d1.batch([teamFinalStatement(ctx, teamId, 'succeeded')]);
  return released;
}

/**
 * The team ran out of time: every paid member is refunded in full through the payments refund
 * path, with a refund number derived from the order (rfg_<order>) that our refunds table and
 * WeChat both dedupe — so a redelivered message or an alarm that fired twice refunds once.
 */
export async function failTeam(ctx: Ctx, data: OutboxData): Promise<number> {
  const seatIds = data.seats.filter((s) => s.role !== 'virtual').map((s) => s.seatId);
  const list = seatIds.length ? await ctx.db.select().from(orders).where(inArray(orders.holdId, seatIds)) : [];
  let refunded = 0;
  for (const o of list) {
    const r = await refundPaidOrder(ctx, o.id, TEAM_FAILED_REASON, `rfg_${o.id.slice(4)}`);
    if (r === 'refunded') refunded++;
  }
  await ctx.env.DB.batch([teamFinalStatement(ctx, data.teamId, 'failed')]);
  return refunded;
}

/** Settlement-queue consumer for the messages the SkuStock DO's group-buy outbox sends. */
export async function handleGroupBuysMessage(ctx: Ctx, msg: QueueMessage): Promise<void> {
  const data = msg.data as OutboxData;
  if (msg.type === TEAM_SUCCEEDED_EVENT) {
    ctx.log.info('group-buy team succeeded', { teamId: data.teamId, released: await completeTeam(ctx, data.teamId) });
    return;
  }
  if (msg.type === TEAM_FAILED_EVENT) {
    ctx.log.info('group-buy team failed', { teamId: data.teamId, refunded: await failTeam(ctx, data) });
    return;
  }
  ctx.log.error('unknown group_buys message', { type: msg.type });
}
