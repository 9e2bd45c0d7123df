import type { Ctx } from '../../shared/context';
import { emit } from '../../shared/events';

/** Message types on the NOTIFICATIONS queue that end in a shopper notification. */
export const ORDER_PAID_NOTICE = 'notifications.order_paid';
export const ORDER_SHIPPED_NOTICE = 'notifications.order_shipped';
export const REFUND_RESULT_NOTICE = 'notifications.refund_result';
export const NOTICE_TYPES = [ORDER_PAID_NOTICE, ORDER_SHIPPED_NOTICE, REFUND_RESULT_NOTICE] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

/** Final refund states worth telling the shopper about (the refunds table's terminal statuses). */
export type RefundResultStatus = 'succeeded' | 'closed' | 'abnormal';

/** Payload of every notification message; which optional fields are set depends on the type. */
export interface NoticeData {
  userId: string;
  orderId: string;
  orderNo: string;
  /** Fen: the paid amount (order_paid) or the refunded amount (refund_result). */
  amount?: number;
  carrierName?: string;
  trackingNo?: string;
  refundStatus?: RefundResultStatus;
  /** refund_result only: the refund it reports on (part of the message id). */
  refundId?: string;
}

/**
 * Queues a notification without ever throwing: a lost notification must not fail the payment,
 * shipment or refund that caused it, so a failed send is logged and swallowed. The message id is
 * deterministic so the consumer sends once however often the message (or the emit) is repeated.
 */
async function notify(ctx: Ctx, type: NoticeType, id: string, data: NoticeData): Promise<void> {
  try {
    await emit(ctx, 'NOTIFICATIONS', type, data, { id });
  } catch (e) {
    ctx.log.error('notification not queued', { type, msgId: id, orderId: data.orderId, err: e instanceof Error ? e.message : String(e) });
  }
}

/** "Order paid" for one order (call once per order of a paid checkout). Message id `paid:<orderId>`. */
export function notifyOrderPaid(ctx: Ctx, o: { userId: string; orderId: string; orderNo: string; amount: number }): Promise<void> {
  return notify(ctx, ORDER_PAID_NOTICE, `paid:${o.orderId}`, { userId: o.userId, orderId: o.orderId, orderNo: o.orderNo, amount: o.amount });
}

/** "Order shipped" with carrier and tracking number. Message id `shipped:<orderId>`. */
export function notifyOrderShipped(ctx: Ctx, o: { userId: string; orderId: string; orderNo: string; carrierName: string; trackingNo: string }): Promise<void> {
  return notify(ctx, ORDER_SHIPPED_NOTICE, `shipped:${o.orderId}`, {
    userId: o.userId, orderId: o.orderId, orderNo: o.orderNo, carrierName: o.carrierName, trackingNo: o.trackingNo,
  });
}

/**
 * The final result of one refund (call when the refund reaches succeeded / closed / abnormal).
 * Message id `refund:<refundId>:<status>`: one notice per refund and outcome, so an order with
 * several partial refunds gets one notice each.
 */
export function notifyRefundResult(
  ctx: Ctx,
  r: { refundId: string; userId: string; orderId: string; orderNo: string; amount: number; refundStatus: RefundResultStatus },
): Promise<void> {
  return notify(ctx, REFUND_RESULT_NOTICE, `refund:${r.refundId}:${r.refundStatus}`, {
    userId: r.userId, orderId: r.orderId, orderNo: r.orderNo, amount: r.amount, refundStatus: r.refundStatus, refundId: r.refundId,
  });
}
