import type { Ctx } from '../shared/context';
import { AppError } from '../shared/errors';
import { batchFailure } from '../shared/db';
import { getOrderRow, orderLinesOf, transitionStatements } from '../domains/orders/orders.service';
import { fullRefundLineStatements } from '../domains/orders/refund-lines';
import { getPaymentByCheckout, startRefund } from '../domains/payments/payments.service';
import { releaseOrderDeductionStatements } from '../domains/members/points/order-deductions.service';

/**
 * Refunds a whole paid, unshipped order on the system's initiative (a group-buy team that failed,
 * a flash-sale payment whose units were gone): the order closes with every line marked refunded,
 * in one batch guarded on it still being paid, then WeChat is asked with `outRefundNo` — which
 * WeChat and our refunds table both dedupe. Calling it again (a redelivered message, an alarm that
 * fired twice) finds the order closed and only re-asks for that same refund: money moves once.
 */
export async function refundPaidOrder(
  ctx: Ctx,
  orderId: string,
  reason: string,
  outRefundNo: string,
): Promise<'refunded' | 'already_refunded' | 'not_paid'> {
  const order = await getOrderRow(ctx, orderId);
  const payment = await getPaymentByCheckout(ctx, order.checkoutId);
  let first = false;
  if (order.status === 'paid') {
    const lines = await orderLinesOf(ctx, [order.id]);
    try {
      await ctx.env.DB.batch([
        ...transitionStatements(
          ctx,
          order.id,
          ['paid'],
          'closed',
          { closedAt: ctx.now, closeReason: reason, refundedTotal: order.paidTotal, fulfilmentHold: null },
          { type: 'system_refund', note: reason },
        ),
        ...fullRefundLineStatements(ctx, lines),
        // Points and balance the order used go back with the money (ref checkout_refund:<orderId>).
        ...(await releaseOrderDeductionStatements(ctx, order.id)),
      ]);
      first = true;
    } catch (e) {
      if (batchFailure(e) !== 'guard') throw e;
    }
  }
  const now = first ? order : await getOrderRow(ctx, orderId);
  if (!first && (now.status !== 'closed' || now.closeReason !== reason)) return 'not_paid';
  if (!payment || payment.status === 'created' || payment.status === 'closed')
    throw new AppError('payments.not_paid', 409, `order ${orderId} has no completed payment to refund`);
  await startRefund(ctx, { payment, orderId, amount: order.paidTotal, reason, outRefundNo });
  return first ? 'refunded' : 'already_refunded';
}
