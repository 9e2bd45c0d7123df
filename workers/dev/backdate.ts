// A week-old completed order cannot be made now through the flows alone: WeChat's payment
// notification stamps the payment with the real time. So the seed lives such an order on a clock
// that runs ahead (ship, deliver and confirm at later ctx.now values) and then moves every stamp
// of it back by the same amount, which keeps its timeline in order. Today's orders are moved back
// a little too, so the demo's orders were not all placed in the same millisecond. This is the one place the dev
// seed writes other domains' rows directly; production code never moves time.
import type { Ctx } from '../shared/context';

/**
 * Moves one order's stamps — order, timeline, checkout, payment, parcels and tracking, after-sales
 * and refunds — `ms` into the past, in one batch.
 */
export async function backdateOrder(ctx: Ctx, orderId: string, ms: number): Promise<void> {
  const d1 = ctx.env.DB;
  const checkout = '(SELECT checkout_id FROM orders WHERE id = ?2)';
  const shift = (cols: string[]) => cols.map((c) => `${c} = ${c} - ?1`).join(', ');
  await d1.batch([
    // The checkout and payment first: their WHERE reads the order's checkout id, which does not move.
    d1.prepare(`UPDATE checkouts SET ${shift(['created_at', 'expires_at'])} WHERE id = ${checkout}`).bind(ms, orderId),
    d1
      .prepare(`UPDATE payments SET ${shift(['created_at', 'updated_at', 'paid_at', 'prepay_expires_at'])} WHERE checkout_id = ${checkout}`)
      .bind(ms, orderId),
    d1
      .prepare(
        `UPDATE orders SET ${shift(['created_at', 'expires_at', 'paid_at', 'shipped_at', 'delivered_at', 'completed_at', 'auto_confirm_at'])} WHERE id = ?2`,
      )
      .bind(ms, orderId),
    d1.prepare(`UPDATE order_events SET ${shift(['created_at'])} WHERE order_id = ?2`).bind(ms, orderId),
    d1.prepare(`UPDATE shipments SET ${shift(['shipped_at', 'delivered_at'])} WHERE order_id = ?2`).bind(ms, orderId),
    d1.prepare(`UPDATE tracking_events SET ${shift(['event_at', 'received_at'])} WHERE order_id = ?2`).bind(ms, orderId),
    d1
      .prepare(`UPDATE aftersales SET ${shift(['created_at', 'updated_at', 'reviewed_at', 'completed_at'])} WHERE order_id = ?2`)
      .bind(ms, orderId),
    d1.prepare(`UPDATE refunds SET ${shift(['created_at', 'updated_at', 'succeeded_at'])} WHERE order_id = ?2`).bind(ms, orderId),
  ]);
}
