import type { Ctx } from '../shared/context';
import { AppError } from '../shared/errors';
import { iso } from '../shared/db';
import { saleSnapshot } from '../domains/flash-sales/flash-sales.service';
import { releaseReservation, reservationOf } from '../domains/flash-sales/buckets';
import {
  getFlashSaleRecord,
  recordSaleCounters,
  returnUnsoldUnits,
  saleReservations,
  salesDueForReconciliation,
  type FlashSaleRecord,
} from '../domains/flash-sales/wind-up';
import { ordersByHoldIds, paidOrdersOfPromo, promoUnitsInOrders } from '../domains/orders/promo-orders';
import type { Reservation } from '../domains/flash-sales/rules';
import { confirmHold, HOLD_LOST_REASON } from './stock-holds';
import { materialiseFlashOrder } from './flash-order';

const holdOf = (r: Reservation) => ({ saleId: r.saleId, shopperId: r.shopperId, reservationId: r.id });

/** A reservation with no D1 order after this long lost its order message. */
const ORPHAN_AFTER_MS = 2 * 60_000;
const PAID_STATES = ['paid', 'shipped', 'delivered', 'completed'] as const;

/**
 * Reconciles one sale's D1 view with its Durable Object (the source of truth) and repairs what a
 * lost message or a crash between the two left behind:
 * - a pending hold whose order was paid → confirmed; whose order closed → released;
 *   with no order after ORPHAN_AFTER_MS → its order written (or, if it cannot be, released);
 * - a paid order whose hold is not confirmed → confirmed (or the order refunded if the units are gone).
 * Then it records the counters in flash_sales and reports whether D1 and the DO agree (and, for a
 * sale split over bucket objects, whether every unit is accounted for). After the
 * sale ended and nothing is pending, the unsold units go back to normal stock, exactly once.
 */
export async function reconcileFlashSale(ctx: Ctx, saleId: string) {
  return reconcile(ctx, await getFlashSaleRecord(ctx, saleId));
}

async function reconcile(ctx: Ctx, sale: FlashSaleRecord) {
  const repaired = { confirmed: 0, released: 0, refunded: 0, ordersWritten: 0 };

  for await (const pending of saleReservations(ctx, sale, 'pending', 200)) {
    const byHold = new Map(
      (
        await ordersByHoldIds(
          ctx,
          pending.map((r) => r.id),
        )
      ).map((o) => [o.holdId!, o]),
    );
    for (const r of pending) {
      const o = byHold.get(r.id);
      if (o && (PAID_STATES as readonly string[]).includes(o.status)) {
        await confirmHold(ctx, o);
        repaired.confirmed++;
      } else if (o && (o.status === 'closed' || o.status === 'cancelled')) {
        await releaseReservation(ctx, holdOf(r));
        repaired.released++;
      } else if (!o && r.createdAt < ctx.now - ORPHAN_AFTER_MS) {
        // Its order message was lost: write the order now, or give the units back if it cannot be.
        try {
          await materialiseFlashOrder(ctx, { saleId: sale.id, reservationId: r.id, shopperId: r.shopperId });
          repaired.ordersWritten++;
        } catch (e) {
          if (!(e instanceof AppError) || e.status >= 500) throw e;
          await releaseReservation(ctx, holdOf(r));
          repaired.released++;
        }
      }
    }
  }

  // Paid orders whose hold the DO does not count as sold (a confirmation that never arrived).
  for (const o of await paidOrdersOfPromo(ctx, sale.id)) {
    if (o.closeReason === HOLD_LOST_REASON) continue;
    const hold = { saleId: sale.id, shopperId: o.userId, reservationId: o.holdId! };
    const r = await reservationOf(ctx, hold);
    if (r?.status === 'confirmed') continue;
    const before = o.status;
    await confirmHold(ctx, o);
    if (before === 'paid' && (await reservationOf(ctx, hold))?.status !== 'confirmed') repaired.refunded++;
    else repaired.confirmed++;
  }

  const snap = (await saleSnapshot(ctx, sale))!;
  // Units in D1: pending = unpaid open orders; sold = orders that were paid (refunds later do not unsell).
  const d1 = await promoUnitsInOrders(ctx, sale.id, HOLD_LOST_REASON);
  await recordSaleCounters(ctx, sale.id, snap);
  const returned = await returnUnsoldUnits(ctx, sale);
  return {
    saleId: sale.id,
    do: {
      allocated: snap.allocated,
      reserved: snap.reserved,
      sold: snap.sold,
      remaining: snap.remaining,
      closed: returned != null || snap.closed,
    },
    d1: { pendingUnits: d1.pending, soldUnits: d1.sold },
    repaired,
    conserved: snap.conserved,
    agree: d1.pending === snap.reserved && d1.sold === snap.sold && snap.conserved,
    returnedUnits: returned,
    reconciledAt: iso(ctx.now)!,
  };
}

/**
 * Cron: reconciles sales that started and have not yet returned their unsold units (so each sale
 * keeps being checked until it is fully wound up), oldest end first.
 */
export async function reconcileFlashSales(ctx: Ctx): Promise<{ checked: number; disagreeing: string[]; returned: number }> {
  const due = await salesDueForReconciliation(ctx, 20);
  const disagreeing: string[] = [];
  let returned = 0;
  for (const sale of due) {
    try {
      const r = await reconcile(ctx, sale);
      if (!r.agree) disagreeing.push(sale.id);
      if (r.returnedUnits != null) returned++;
    } catch (e) {
      ctx.log.error('flash sale reconciliation failed', { saleId: sale.id, err: String(e) });
    }
  }
  if (disagreeing.length) ctx.log.error('flash sales disagree with their DO after repair', { saleIds: disagreeing });
  return { checked: due.length, disagreeing, returned };
}
