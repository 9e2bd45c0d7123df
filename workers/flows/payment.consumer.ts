import { on, type MessageHandler } from '../shared/events';
import { ConfirmHolds, PaymentTimeout } from '../domains/orders/events';
import { getOrderRow } from '../domains/orders/orders.service';
import { closeUnpaidCheckout } from './payment';
import { confirmHold } from './stock-holds';

/**
 * Order messages around payment. The payment timeout arrives as a delayed message; closing is
 * idempotent, so a redelivered message (queues deliver at least once) changes nothing.
 */
export const paymentConsumer: MessageHandler[] = [
  on(PaymentTimeout, async (ctx, { checkoutId }) => {
    const result = await closeUnpaidCheckout(ctx, checkoutId, 'closed', '超时未支付');
    ctx.log.info('payment timeout handled', { checkoutId, result });
  }),
  // Throws while the DO is unreachable, so the queue retries it.
  on(ConfirmHolds, async (ctx, { orderId }) => confirmHold(ctx, await getOrderRow(ctx, orderId))),
];
