import type { Ctx } from '../shared/context';
import { conflict, forbidden } from '../shared/errors';
import { roleCan } from '../shared/rbac';
import {
  AUTO_CONFIRM_AFTER_SHIP_MS,
  getOrderDetail,
  getVisibleOrder,
  runTransition,
  transitionStatements,
} from '../domains/orders/orders.service';
import { noFulfilmentHoldGuard } from '../domains/orders/promo-orders';
import { createShipment, listShipments, normalizeTrackingNo } from '../domains/logistics/shipments.service';
import { unfinishedAfterSales } from '../domains/aftersales/aftersales.service';
import { notifyOrderShipped } from '../domains/notifications/events';

/**
 * shipOrder: records the parcel (carrier + tracking number) and moves a paid order to shipped,
 * with the shipment in the timeline. Shipping an unpaid or already shipped order is refused;
 * repeating the same shipment for a shipped order is harmless.
 */
export async function shipOrder(ctx: Ctx, orderId: string, input: { carrierCode: string; trackingNo: string; note?: string }) {
  if (ctx.actor.kind !== 'staff' || !roleCan(ctx.actor.role, 'orders.write')) throw forbidden();
  const order = await getVisibleOrder(ctx, orderId);
  if (order.status !== 'paid') {
    const shipped =
      order.status === 'shipped' &&
      (await listShipments(ctx, orderId)).some(
        (s) => s.carrierCode === input.carrierCode.toUpperCase() && s.trackingNo === normalizeTrackingNo(input.trackingNo),
      );
    if (shipped) return getOrderDetail(ctx, orderId);
    throw conflict('orders.invalid_transition', `only paid orders can be shipped; this one is ${order.status}`);
  }
  // A refund requested before shipping is answered first: shipping goods being refunded loses them.
  const pending = (await unfinishedAfterSales(ctx, orderId)).filter((a) => a.type === 'refund_only');
  if (pending.length)
    throw conflict('orders.aftersale_pending', 'the shopper asked for a refund before shipping; review that after-sale request first', {
      afterSaleIds: pending.map((a) => a.id),
    });
  if (order.fulfilmentHold === 'group_forming') throw conflict('orders.awaiting_group', 'this group-buy order ships once its team is full');
  const shipment = await createShipment(ctx, { orderId, carrierCode: input.carrierCode, trackingNo: input.trackingNo });
  await runTransition(
    ctx,
    // the team may still fail (and refund) between the read and the batch: ship only while no hold
    [
      noFulfilmentHoldGuard(ctx, orderId),
      ...transitionStatements(
        ctx,
        orderId,
        ['paid'],
        'shipped',
        { shippedAt: ctx.now, autoConfirmAt: ctx.now + AUTO_CONFIRM_AFTER_SHIP_MS },
        {
          type: 'shipped',
          note: `${shipment.carrierName} ${shipment.trackingNo}${input.note ? ` · ${input.note}` : ''}`,
          data: { shipmentId: shipment.id, carrierCode: shipment.carrierCode, trackingNo: shipment.trackingNo },
        },
      ),
    ],
    'ship the order',
  );
  await notifyOrderShipped(ctx, {
    userId: order.userId,
    orderId,
    orderNo: order.orderNo,
    carrierName: shipment.carrierName,
    trackingNo: shipment.trackingNo,
  });
  return getOrderDetail(ctx, orderId);
}

/** The order's parcels with their tracking timelines, for whoever may see the order. */
export async function orderTracking(ctx: Ctx, orderId: string) {
  await getVisibleOrder(ctx, orderId);
  return { items: await listShipments(ctx, orderId) };
}
