import { z } from 'zod';
import { defineMessage } from '../../shared/events';

/**
 * Messages about orders, on the SETTLEMENT queue. Sent by the checkout, payment and settlement
 * flows (which own the order's life across domains); handled in `flows/*.consumer.ts`.
 */

/** A checkout's payment window has passed: close it if still unpaid. Id `timeout:<checkoutId>`, delayed. */
export const PaymentTimeout = defineMessage('orders.payment_timeout', 'SETTLEMENT', z.object({ checkoutId: z.string().min(1) }));

/**
 * The payment windows of a batch of orders written together (flash-sale orders from one queue
 * delivery) have all passed: close each checkout still unpaid. One delayed message per batch
 * instead of one per order — every delayed message is a timer the queue holds until it is due.
 * Delayed to the latest window of the batch, so none is closed early. Id `timeouts:<first id>:<n>`.
 */
export const PaymentTimeouts = defineMessage(
  'orders.payment_timeouts',
  'SETTLEMENT',
  z.object({ checkoutIds: z.array(z.string().min(1)).min(1).max(100) }),
);

/** Retry of a hold confirmation (flash-sale / group-buy units) the payment path could not deliver. Id `confirm-hold:<orderId>`. */
export const ConfirmHolds = defineMessage('orders.confirm_holds', 'SETTLEMENT', z.object({ orderId: z.string().min(1) }));

/** A completed order's after-sales window has closed: credit its merchant. Id `settle:<orderId>`. */
export const SettlementDue = defineMessage('orders.settlement_due', 'SETTLEMENT', z.object({ orderId: z.string().min(1) }));
