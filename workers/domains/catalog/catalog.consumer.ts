import type { Ctx } from '../../shared/context';
import type { QueueMessage } from '../../queue';
import { LOW_STOCK_EVENT, type LowStockEvent } from './stock.service';

/**
 * Catalog messages from the notifications queue. A low-stock alert is delivered to the merchant's
 * staff as a structured log line (the alert itself is already listed in admin); channels such as
 * WeChat template messages or e-mail plug in here.
 */
export async function handleCatalogMessage(ctx: Ctx, msg: QueueMessage): Promise<void> {
  if (msg.type === LOW_STOCK_EVENT) {
    const e = msg.data as LowStockEvent;
    ctx.log.warn('low stock', { alertId: e.alertId, skuId: e.skuId, productId: e.productId, merchantId: e.merchantId, stock: e.stock, threshold: e.threshold });
    return;
  }
  ctx.log.error('unknown catalog message', { type: msg.type });
}
