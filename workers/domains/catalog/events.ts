import { z } from 'zod';
import { defineMessage } from '../../shared/events';

/**
 * A SKU fell to its low-stock threshold (one per alert; id = the alert id). Sent by
 * `stock.service.ts` on the NOTIFICATIONS queue, handled by `catalog.consumer.ts`.
 */
export const LowStock = defineMessage(
  'catalog.low_stock',
  'NOTIFICATIONS',
  z.object({
    alertId: z.string().min(1),
    skuId: z.string().min(1),
    productId: z.string().min(1),
    merchantId: z.string().min(1),
    stock: z.number().int(),
    threshold: z.number().int(),
  }),
);
export type LowStockEvent = z.output<typeof LowStock.schema>;
