import type { Ctx } from '../shared/context';
import type { QueueMessage } from '../queue';
import { PAYMENT_TIMEOUT_EVENT } from './checkout';
import { closeUnpaidCheckout } from './payment';
import { CONFIRM_HOLDS_EVENT, confirmHold } from './stock-holds';
import { getOrderRow } from '../domains/orders/orders.service';

/**
 * Settlement-queue messages about orders. The payment timeout arrives as a delayed message;
 * closing is idempotent, so a redelivered message (queues deliver at least once) changes nothing.
 */
export async function handleOrdersMessage(ctx: Ctx, msg: QueueMessage): Promise<void> {
  if (msg.type === PAYMENT_TIMEOUT_EVENT) {
    const { checkoutId } = msg.data as { checkoutId: string };
    const result = await closeUnpaidCheckout(ctx, checkoutId, 'closed', '超时未支付');
    ctx.log.info('payment timeout handled', { checkoutId, result });
    return;
  }
  if (msg.type === CONFIRM_HOLDS_EVENT) {
    // Throws while the DO is unreachable, so the queue retries it.
    await confirmHold(ctx, await getOrderRow(ctx, (msg.data as { orderId: string }).orderId));
    return;
  }
  ctx.log.error('unknown orders message', { type: msg.type });
}
