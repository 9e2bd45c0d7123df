import { z } from 'zod';
import { defineMessage } from '../../shared/events';

/**
 * Write the pending D1 order for a reservation the SKU's Durable Object has made durable (peak
 * shaving: every reservation's order is written off the hot path). Id `fs-order:<reservationId>`.
 * Sent by the SKU's Durable Object (`durable-objects/sku-stock.ts`, its outbox) once the
 * reservation is durable; handled a delivery at a time by `flows/flash-sales.consumer.ts`.
 */
export const FlashOrderRequested = defineMessage(
  'flash_sales.create_order',
  'SETTLEMENT',
  z.object({ saleId: z.string().min(1), reservationId: z.string().min(1), shopperId: z.string().min(1) }),
);
export type FlashOrderData = z.output<typeof FlashOrderRequested.schema>;
