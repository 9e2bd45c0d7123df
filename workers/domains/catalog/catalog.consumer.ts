import { on, type MessageHandler } from '../../shared/events';
import { LowStock } from './events';

/**
 * Catalog messages from the notifications queue. A low-stock alert is delivered to the merchant's
 * staff as a structured log line (the alert itself is already listed in admin); channels such as
 * WeChat template messages or e-mail plug in here.
 */
export const catalogConsumer: MessageHandler[] = [
  on(LowStock, async (ctx, e) => {
    ctx.log.warn('low stock', {
      alertId: e.alertId,
      skuId: e.skuId,
      productId: e.productId,
      merchantId: e.merchantId,
      stock: e.stock,
      threshold: e.threshold,
    });
  }),
];
