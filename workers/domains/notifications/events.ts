import { z } from 'zod';
import type { Ctx } from '../../shared/context';
import { defineMessage, emit, type MessageDef } from '../../shared/events';

/*
 * Shopper notifications on the NOTIFICATIONS queue. The notifications domain owns these
 * contracts and the functions below that send them; payments, logistics and the refund flow call
 * those functions. Handled by `notifications.consumer.ts` (validated in deliverNotice, which
 * records a malformed message as failed instead of retrying it).
 */

/** Final refund states worth telling the shopper about (the refunds table's terminal statuses). */
export const REFUND_RESULT_STATUSES = ['succeeded', 'closed', 'abnormal'] as const;
export type RefundResultStatus = (typeof REFUND_RESULT_STATUSES)[number];

/** Payload of every notification message; which optional fields are set depends on the type. */
export const NoticeDataSchema = z.object({
  userId: z.string().min(1),
  orderId: z.string().min(1),
  orderNo: z.string().min(1),
  /** Fen: the paid amount (order_paid) or the refunded amount (refund_result). */
  amount: z.number().int().min(0).optional(),
  carrierName: z.string().optional(),
  trackingNo: z.string().optional(),
  refundStatus: z.enum(REFUND_RESULT_STATUSES).optional(),
  /** refund_result only: the refund it reports on (part of the message id). */
  refundId: z.string().optional(),
});
export type NoticeData = z.output<typeof NoticeDataSchema>;

export const OrderPaidNotice = defineMessage('notifications.order_paid', 'NOTIFICATIONS', NoticeDataSchema);
export const OrderShippedNotice = defineMessage('notifications.order_shipped', 'NOTIFICATIONS', NoticeDataSchema);
export const RefundResultNotice = defineMessage('notifications.refund_result', 'NOTIFICATIONS', NoticeDataSchema);
export const NOTICES = [OrderPaidNotice, OrderShippedNotice, RefundResultNotice] as const;

/**
 * One templated send (message_sends row) that is due: rendered and delivered by the consumer.
 * It travels on its own queue, MARKETING, so a backlog of marketing sends (a 08:00 release, a
 * campaign to a segment) never sits in front of an order-shipped notice on NOTIFICATIONS.
 * The message id is the send id; the row's claim makes delivery exactly-once.
 */
export const TemplatedSend = defineMessage('notifications.templated_send', 'MARKETING', z.object({ sendId: z.string().min(1) }));
export type NoticeType = (typeof NOTICES)[number]['type'];
export const ORDER_PAID_NOTICE = OrderPaidNotice.type;
export const ORDER_SHIPPED_NOTICE = OrderShippedNotice.type;
export const REFUND_RESULT_NOTICE = RefundResultNotice.type;

/**
 * Queues a notification without ever throwing: a lost notification must not fail the payment,
 * shipment or refund that caused it, so a failed send is logged and swallowed. The message id is
 * deterministic so the consumer sends once however often the message (or the emit) is repeated.
 */
async function notify(ctx: Ctx, def: MessageDef<NoticeData, NoticeType>, id: string, data: NoticeData): Promise<void> {
  const type = def.type;
  try {
    await emit(ctx, def, data, { id });
  } catch (e) {
    ctx.log.error('notification not queued', { type, msgId: id, orderId: data.orderId, err: e instanceof Error ? e.message : String(e) });
  }
}

/** "Order paid" for one order (call once per order of a paid checkout). Message id `paid:<orderId>`. */
export function notifyOrderPaid(ctx: Ctx, o: { userId: string; orderId: string; orderNo: string; amount: number }): Promise<void> {
  return notify(ctx, OrderPaidNotice, `paid:${o.orderId}`, { userId: o.userId, orderId: o.orderId, orderNo: o.orderNo, amount: o.amount });
}

/** "Order shipped" with carrier and tracking number. Message id `shipped:<orderId>`. */
export function notifyOrderShipped(
  ctx: Ctx,
  o: { userId: string; orderId: string; orderNo: string; carrierName: string; trackingNo: string },
): Promise<void> {
  return notify(ctx, OrderShippedNotice, `shipped:${o.orderId}`, {
    userId: o.userId,
    orderId: o.orderId,
    orderNo: o.orderNo,
    carrierName: o.carrierName,
    trackingNo: o.trackingNo,
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
  return notify(ctx, RefundResultNotice, `refund:${r.refundId}:${r.refundStatus}`, {
    userId: r.userId,
    orderId: r.orderId,
    orderNo: r.orderNo,
    amount: r.amount,
    refundStatus: r.refundStatus,
    refundId: r.refundId,
  });
}
