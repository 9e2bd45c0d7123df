import { AppError } from '../shared/errors';
import { on, type MessageHandler } from '../shared/events';
import { FlashOrderRequested } from '../domains/flash-sales/events';
import { materialiseFlashOrder } from './flash-order';

/** `flash_sales.*` — create_order: writes the pending D1 order of a durable reservation (once: fixed ids). */
export const flashSalesConsumer: MessageHandler[] = [
  on(FlashOrderRequested, async (ctx, data) => {
    try {
      const o = await materialiseFlashOrder(ctx, data);
      ctx.log.info('flash-sale order written', { orderId: o.orderId });
    } catch (e) {
      // A lapsed reservation or an unusable address is final: retrying cannot help.
      if (e instanceof AppError && e.status < 500)
        ctx.log.warn('flash-sale order not written', { code: e.code, reservationId: data.reservationId });
      else throw e;
    }
  }),
];
