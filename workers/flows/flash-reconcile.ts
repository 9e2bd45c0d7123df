import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Ctx } from '../shared/context';
import { AppError, notFound } from '../shared/errors';
import { batchFailure, D1_IN_CHUNK, guard, inChunks, iso, stmt } from '../shared/db';
import { stockChangeStatements } from '../domains/catalog/stock.service';
import { productKey } from '../domains/catalog/cache-keys';
import { purgeCache } from '../shared/cache';
import { flashSales } from '../domains/flash-sales/schema';
import { saleSnapshot, releaseReservation, skuStockStub } from '../domains/flash-sales/flash-sales.service';
import { orderLines, orders } from '../domains/orders/schema';
import { confirmHold, HOLD_LOST_REASON } from './stock-holds';
import { materialiseFlashOrder } from './flash-order';

/** A reservation with no D1 order after this long lost its order message. */
const ORPHAN_AFTER_MS = 2 * 60_000;
const PAID_STATES = ['paid', 'shipped', 'delivered', 'completed'] as const;

type SaleRow = typeof flashSales.$inferSelect;

/**
 * Reconciles one sale's D1 view with its Durable Object (the source of truth) and repairs what a
 * lost message or a crash between the two left behind:
 * - a pending hold whose order was paid → confirmed; whose order closed → released;
 *   with no order after ORPHAN_AFTER_MS → its order written (or, if it cannot be, released);
 * - a paid order whose hold is not confirmed → confirmed (or the order refunded if the units are gone).
 * Then it records the counters in flash_sales and reports whether D1 and the DO agree. After the
 * sale ended and nothing is pending, the unsold units go back to normal stock, exactly once.
 */
export async function reconcileFlashSale(ctx: Ctx, saleId: string) {
  const [sale] = await ctx.db.select().from(flashSales).where(eq(flashSales.id, saleId)).limit(1);
  if (!sale) throw notFound('flash_sales.sale_not_found', `flash sale ${saleId}`);
  return reconcile(ctx, sale);
}

async function reconcile(ctx: Ctx, sale: SaleRow) {
  const stub = skuStockStub(ctx.env, sale.skuId);
  const repaired = { confirmed: 0, released: 0, refunded: 0, ordersWritten: 0 };

  for (let after = ''; ; ) {
    const pending = await stub.listReservations(sale.id, 'pending', 200, after);
    if (pending.length === 0) break;
    after = pending.at(-1)!.id;
    const byHold = new Map((await ordersByHold(ctx, pending.map((r) => r.id))).map((o) => [o.holdId!, o]));
    for (const r of pending) {
      const o = byHold.get(r.id);
      if (o && (PAID_STATES as readonly string[]).includes(o.status)) {
        await confirmHold(ctx, o);
        repaired.confirmed++;
      } else if (o && (o.status === 'closed' || o.status === 'cancelled')) {
        await releaseReservation(ctx, sale.skuId, r.id);
        repaired.released++;
      } else if (!o && r.createdAt < ctx.now - ORPHAN_AFTER_MS) {
        // Its order message was lost: write the order now, or give the units back if it cannot be.
        try {
          await materialiseFlashOrder(ctx, { saleId: sale.id, reservationId: r.id, shopperId: r.shopperId });
          repaired.ordersWritten++;
        } catch (e) {
          if (!(e instanceof AppError) || e.status >= 500) throw e;
          await releaseReservation(ctx, sale.skuId, r.id);
          repaired.released++;
        }
      }
    }
  }

  // Paid orders whose hold the DO does not count as sold (a confirmation that never arrived).
  const paid = await ctx.db
    .select()
    .from(orders)
    .where(and(eq(orders.promoId, sale.id), sql`${orders.paidAt} IS NOT NULL`))
    .orderBy(asc(orders.id));
  for (const o of paid) {
    if (o.closeReason === HOLD_LOST_REASON) continue;
    const r = await stub.reservation(o.holdId!);
    if (r?.status === 'confirmed') continue;
    const before = o.status;
    await confirmHold(ctx, o);
    if (before === 'paid' && (await stub.reservation(o.holdId!))?.status !== 'confirmed') repaired.refunded++;
    else repaired.confirmed++;
  }

  const snap = (await saleSnapshot(ctx, sale))!;
  const d1 = await d1Units(ctx, sale.id);
  await ctx.db.update(flashSales).set({ soldUnits: snap.sold, reservedUnits: snap.reserved, reconciledAt: ctx.now }).where(eq(flashSales.id, sale.id));
  const returned = await returnUnsold(ctx, sale);
  return {
    saleId: sale.id,
    do: { allocated: snap.allocated, reserved: snap.reserved, sold: snap.sold, remaining: snap.remaining, closed: returned != null || snap.closed },
    d1: { pendingUnits: d1.pending, soldUnits: d1.sold },
    repaired,
    agree: d1.pending === snap.reserved && d1.sold === snap.sold,
    returnedUnits: returned,
    reconciledAt: iso(ctx.now)!,
  };
}

async function ordersByHold(ctx: Ctx, holdIds: string[]) {
  if (holdIds.length === 0) return [];
  return inChunks(holdIds, D1_IN_CHUNK, (part) => ctx.db.select().from(orders).where(inArray(orders.holdId, part)));
}

/** Units in D1: pending = unpaid open orders; sold = orders that were paid (refunds later do not unsell). */
async function d1Units(ctx: Ctx, saleId: string): Promise<{ pending: number; sold: number }> {
  const row = await ctx.db
    .select({
      pending: sql<number>`coalesce(sum(CASE WHEN ${orders.status} = 'pending_payment' THEN ${orderLines.quantity} END), 0)`,
      sold: sql<number>`coalesce(sum(CASE WHEN ${orders.paidAt} IS NOT NULL AND coalesce(${orders.closeReason}, '') != ${HOLD_LOST_REASON} THEN ${orderLines.quantity} END), 0)`,
    })
    .from(orders)
    .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
    .where(eq(orders.promoId, saleId));
  return { pending: Number(row[0]?.pending ?? 0), sold: Number(row[0]?.sold ?? 0) };
}

/**
 * After the end, once nothing is pending: closes the DO pool (so not even a late payment can take a
 * unit) and puts the unsold units back into the SKU's normal stock — guarded on returned_at and
 * keyed by the ledger ref fs-ret:<saleId>, so it happens once however often this runs.
 */
async function returnUnsold(ctx: Ctx, sale: SaleRow): Promise<number | null> {
  if (sale.returnedAt != null) return sale.returnedUnits;
  if (ctx.now < sale.endsAt) return null;
  const closed = await skuStockStub(ctx.env, sale.skuId).closeSale(sale.id, ctx.now);
  if (!closed.ok) return null;
  const d1 = ctx.env.DB;
  try {
    await d1.batch([
      guard(d1, 'SELECT returned_at IS NULL FROM flash_sales WHERE id = ?1', sale.id),
      stmt(d1, ctx.db.update(flashSales).set({ returnedUnits: closed.unsold, returnedAt: ctx.now }).where(and(eq(flashSales.id, sale.id), isNull(flashSales.returnedAt)))),
      ...(closed.unsold > 0
        ? stockChangeStatements(ctx, { skuId: sale.skuId, productId: sale.productId, change: { delta: closed.unsold }, reason: 'adjust', note: `flash sale ${sale.id} ended: ${closed.unsold} unsold units returned`, ref: `fs-ret:${sale.id}` })
        : []),
    ]);
    // the product page shows normal stock: let it see the returned units
    if (closed.unsold > 0) await purgeCache([productKey(sale.productId)]);
  } catch (e) {
    const kind = batchFailure(e);
    if (kind !== 'guard' && kind !== 'unique') throw e;
  }
  return closed.unsold;
}

/**
 * Cron: reconciles sales that started and have not yet returned their unsold units (so each sale
 * keeps being checked until it is fully wound up), oldest end first.
 */
export async function reconcileFlashSales(ctx: Ctx): Promise<{ checked: number; disagreeing: string[]; returned: number }> {
  const due = await ctx.db
    .select()
    .from(flashSales)
    .where(and(isNull(flashSales.returnedAt), lte(flashSales.startsAt, ctx.now)))
    .orderBy(asc(flashSales.endsAt))
    .limit(20);
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
