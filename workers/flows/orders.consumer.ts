import { on, type MessageHandler } from '../shared/events';
import { ConfirmHolds, PaymentTimeout, PaymentTimeouts, SettlementDue } from '../domains/orders/events';
import { getOrderRow } from '../domains/orders/orders.service';
import { closeUnpaidCheckout } from './payment';
import { confirmHold } from './stock-holds';
import { settleOrder } from './settlement';
import { afterOrderFinal } from './order-final';

/**
 * `orders.*` messages. Their work spans domains (holds in the SKU's Durable Object, coupons,
 * payments, the merchant's ledger), so they are handled here rather than in the orders domain.
 * Each handler is idempotent: queues deliver at least once.
 */
export const ordersConsumer: MessageHandler[] = [
  // Delayed to the end of the payment window; closing a checkout that was paid or closed meanwhile changes nothing.
  on(PaymentTimeout, async (ctx, { checkoutId }) => {
    const result = await closeUnpaidCheckout(ctx, checkoutId, 'closed', '超时未支付');
    ctx.log.info('payment timeout handled', { checkoutId, result });
  }),
  // A batch's timeouts: each checkout on its own, so one that fails (WeChat Pay unreachable while
  // checking a prepaid one) retries the message without holding the others; a redelivery finds
  // the closed ones not pending and skips them.
  on(PaymentTimeouts, async (ctx, { checkoutIds }) => {
    const results: Record<string, number> = {};
    let failed = 0;
    for (const checkoutId of checkoutIds) {
      try {
        const r = await closeUnpaidCheckout(ctx, checkoutId, 'closed', '超时未支付');
        results[r] = (results[r] ?? 0) + 1;
      } catch (err) {
        failed++;
        ctx.log.error('payment timeout failed; the message will retry', { checkoutId, err: String(err) });
      }
    }
    ctx.log.info('payment timeouts handled', { n: checkoutIds.length, results, failed });
    if (failed) throw new Error(`${failed} of ${checkoutIds.length} payment timeouts failed`);
  }),
  // Throws while the DO is unreachable, so the queue retries it.
  on(ConfirmHolds, async (ctx, { orderId }) => confirmHold(ctx, await getOrderRow(ctx, orderId))),
  // A duplicate finds the order settled (or hits the ledger's unique key) and changes nothing.
  // Once settled the order is final: the growth hooks run (again, harmlessly, on a redelivery).
  on(SettlementDue, async (ctx, { orderId }) => {
    const result = await settleOrder(ctx, orderId);
    ctx.log.info('settlement handled', { orderId, result });
    if (result === 'settled' || result === 'already_settled') {
      const o = await getOrderRow(ctx, orderId);
      await afterOrderFinal(ctx, {
        orderId,
        userId: o.userId,
        merchantId: o.merchantId,
        netPaid: Math.max(0, o.paidTotal - o.refundedTotal),
        completedAt: o.completedAt ?? ctx.now,
      });
    }
  }),
];
