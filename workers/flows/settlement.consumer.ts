import { on, type MessageHandler } from '../shared/events';
import { SettlementDue } from '../domains/orders/events';
import { settleOrder } from './settlement';

/** `orders.settlement_due`: credits the merchant for one order (a duplicate is a no-op). */
export const settlementConsumer: MessageHandler[] = [
  on(SettlementDue, async (ctx, { orderId }) => {
    const result = await settleOrder(ctx, orderId);
    ctx.log.info('settlement handled', { orderId, result });
  }),
];
