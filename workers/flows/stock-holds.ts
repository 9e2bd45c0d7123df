import type { Ctx } from '../shared/context';
import { emit } from '../shared/events';
import { ConfirmHolds } from '../domains/orders/events';
import { orderLinesOf, type OrderRow } from '../domains/orders/orders.service';
import { orderEventStatement } from '../domains/orders/order-events';
import { confirmReservation, releaseReservation } from '../domains/flash-sales/buckets';
import { refundPaidOrder } from './system-refund';
import { confirmSeat, releaseSeat, teamMirrorStatement } from '../domains/group-buys/group-buys.service';
import { completeTeam } from './group-buy-outcome';

/** The close reason of a paid flash-sale order refunded because its units were gone. */
export const HOLD_LOST_REASON = '秒杀名额已失效，自动退款';
/** The close reason of a paid group-buy order whose seat had lapsed before the payment was applied. */
export const SEAT_LOST_REASON = '拼团名额已失效，自动退款';

const held = (orders: OrderRow[]) => orders.filter((o) => o.holdId && o.promoType);

async function skuOf(ctx: Ctx, orderId: string): Promise<string> {
  const [line] = await orderLinesOf(ctx, [orderId]);
  return line!.skuId;
}

/** A flash-sale order's hold, routed to its bucket by the sale and the shopper the order names. */
const flashHold = (o: OrderRow) => ({ saleId: o.promoId!, shopperId: o.userId, reservationId: o.holdId! });

/**
 * Payment applied: each order whose units sit in a SKU's Durable Object confirms its hold there.
 * If the DO cannot honour it any more (the hold lapsed and the pool is empty), the order is
 * refunded in full. If the DO cannot be reached, a queue message retries (the reconciliation job
 * is the last backstop); confirming is idempotent, so retries are harmless.
 */
export async function confirmHolds(ctx: Ctx, orders: OrderRow[]): Promise<void> {
  for (const o of held(orders)) {
    try {
      await confirmHold(ctx, o);
    } catch (e) {
      ctx.log.error('hold confirmation failed; queued for retry', { orderId: o.id, err: String(e) });
      await emit(ctx, ConfirmHolds, { orderId: o.id }, { id: `confirm-hold:${o.id}`, delaySeconds: 5 }).catch(() => undefined);
    }
  }
}

/** Confirms one order's hold; refunds the order when its units are gone. */
export async function confirmHold(ctx: Ctx, o: OrderRow): Promise<void> {
  if (!o.holdId) return;
  if (o.promoType === 'group_buy') return confirmGroupSeat(ctx, o);
  if (o.promoType !== 'flash_sale') return;
  const out = await confirmReservation(ctx, flashHold(o));
  if (out.ok) return;
  if (out.reason === 'unknown_reservation') throw new Error(`reservation ${o.holdId} unknown to its DO`);
  ctx.log.warn('paid flash-sale order lost its units; refunding', { orderId: o.id, reason: out.reason });
  await ctx.env.DB.batch([orderEventStatement(ctx, o.id, { type: 'hold_lost', note: '秒杀名额已释放，订单将全额退款' })]);
  await refundPaidOrder(ctx, o.id, HOLD_LOST_REASON, `rfh_${o.id.slice(4)}`);
}

/**
 * A group-buy seat is paid: the leader's payment opens the team (its clock starts), the last
 * member's completes it and every order of the team may ship. A seat that lapsed before the
 * payment was applied cannot be revived (the team may have moved on): that order is refunded.
 */
async function confirmGroupSeat(ctx: Ctx, o: OrderRow): Promise<void> {
  const skuId = await skuOf(ctx, o.id);
  const out = await confirmSeat(ctx, skuId, o.holdId!);
  if (out.ok) {
    await ctx.env.DB.batch([teamMirrorStatement(ctx, out.team, skuId)]);
    if (out.team.status === 'succeeded') await completeTeam(ctx, out.team.id);
    return;
  }
  if (out.reason === 'unknown_seat') throw new Error(`seat ${o.holdId} unknown to its DO`);
  ctx.log.warn('paid group-buy order lost its seat; refunding', { orderId: o.id, status: out.status });
  await ctx.env.DB.batch([orderEventStatement(ctx, o.id, { type: 'hold_lost', note: '拼团名额已失效，订单将全额退款' })]);
  await refundPaidOrder(ctx, o.id, SEAT_LOST_REASON, `rfs_${o.id.slice(4)}`);
}

/** Orders closed or cancelled unpaid: their held units go back to the DO pool at once. */
export async function releaseHolds(ctx: Ctx, orders: OrderRow[]): Promise<void> {
  for (const o of held(orders)) {
    try {
      if (o.promoType === 'group_buy') await releaseSeat(ctx, await skuOf(ctx, o.id), o.holdId!);
      else await releaseReservation(ctx, flashHold(o));
    } catch (e) {
      // The DO's alarm releases it at the reservation's expiry anyway.
      ctx.log.error('releasing a DO hold failed; its expiry will', { orderId: o.id, err: String(e) });
    }
  }
}
