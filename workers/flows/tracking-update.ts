import type { Ctx } from '../shared/context';
import type { TrackingWebhookInput } from '../domains/logistics/dto';
import { recordTrackingEvents, type TrackingResult } from '../domains/logistics/shipments.service';
import { markDelivered } from '../domains/orders/orders.service';

/**
 * A carrier's tracking update: logistics records the events and advances the shipment; when the
 * order's parcels are all delivered, orders moves the order to delivered.
 *
 * markDelivered runs when this update delivered the last parcel, and also when a carrier repeats
 * a delivered event for an already delivered order: markDelivered is idempotent, and the repeat
 * heals an earlier attempt whose events were stored but whose order update failed (the carrier
 * retries after our 5xx, and its events are then duplicates).
 */
export async function applyTrackingUpdate(ctx: Ctx, input: TrackingWebhookInput): Promise<TrackingResult & { orderDelivered: boolean }> {
  const r = await recordTrackingEvents(ctx, input);
  const orderDelivered = r.orderDeliveredAt !== null && (r.newlyDelivered || r.carriesDelivered);
  if (orderDelivered) await markDelivered(ctx, r.orderId, r.orderDeliveredAt!);
  if (r.newlyDelivered) ctx.log.info('shipment delivered', { shipmentId: r.shipmentId, orderId: r.orderId, orderDelivered });
  return { ...r, orderDelivered };
}
