import { onBatch, type MessageHandler } from '../shared/events';
import { FlashOrderRequested } from '../domains/flash-sales/events';
import { materialiseFlashOrders } from './flash-order';

/**
 * `flash_sales.*` — create_order: writes the pending D1 orders of durable reservations, a whole
 * delivery at once (one D1 batch; fixed ids make a redelivery or a racing poll write nothing twice).
 */
export const flashSalesConsumer: MessageHandler[] = [
  onBatch(FlashOrderRequested, async (ctx, data) => {
    const answers = await materialiseFlashOrders(ctx, data);
    let written = 0;
    for (const [i, e] of answers.entries()) {
      // A lapsed reservation or an unusable address is final: retrying cannot help (materialiseFlashOrders
      // throws, and so retries the batch, only for errors that are not the shopper's).
      if (e) ctx.log.warn('flash-sale order not written', { code: e.code, reservationId: data[i]!.reservationId });
      else written++;
    }
    ctx.log.info('flash-sale orders in place', { n: written });
    return answers.map(() => null);
  }),
];
