// The flash-sale side of reconciliation and wind-up: reading a sale's pool in its Durable Objects
// (the SKU's own, or the sale's buckets), recording its counters, and returning unsold units to
// normal stock once. The reconciliation flow (flows/flash-reconcile.ts) combines these with the
// orders domain.
import { and, asc, eq, isNull, lte } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { notFound } from '../../shared/errors';
import { guard, stmt } from '../../shared/db';
import { returnPromotionUnits } from '../catalog/stock.service';
import type { SaleSnapshot } from '../../../durable-objects/sku-stock';
import type { ReservationStatus } from './rules';
import { closeSaleObjects, rememberRoute, reservationPages } from './buckets';
import { flashSales } from './schema';

export type FlashSaleRecord = typeof flashSales.$inferSelect;

/** A sale in any status (reconciliation also covers cancelled sales); 404 if unknown. */
export async function getFlashSaleRecord(ctx: Ctx, saleId: string): Promise<FlashSaleRecord> {
  const [sale] = await ctx.db.select().from(flashSales).where(eq(flashSales.id, saleId)).limit(1);
  if (!sale) throw notFound('flash_sales.sale_not_found', `flash sale ${saleId}`);
  rememberRoute(sale);
  return sale;
}

/** Sales that started and have not yet returned their unsold units, soonest end first. */
export function salesDueForReconciliation(ctx: Ctx, limit: number): Promise<FlashSaleRecord[]> {
  return ctx.db
    .select()
    .from(flashSales)
    .where(and(isNull(flashSales.returnedAt), lte(flashSales.startsAt, ctx.now)))
    .orderBy(asc(flashSales.endsAt))
    .limit(limit);
}

/** The sale's reservations in one status, a page at a time, over all of its buckets. */
export function saleReservations(ctx: Ctx, sale: FlashSaleRecord, status: ReservationStatus, pageSize: number) {
  return reservationPages(ctx, sale, status, pageSize);
}

/** Records the DO's counters on the sale row (what the console lists) and when they were taken. */
export async function recordSaleCounters(ctx: Ctx, saleId: string, snap: Pick<SaleSnapshot, 'sold' | 'reserved'>): Promise<void> {
  await ctx.db
    .update(flashSales)
    .set({ soldUnits: snap.sold, reservedUnits: snap.reserved, reconciledAt: ctx.now })
    .where(eq(flashSales.id, saleId));
}

/**
 * After the end, once nothing is pending: closes the DO pool, every bucket of it (so not even a
 * late payment can take a unit), and puts the unsold units, summed over the buckets, back into
 * the SKU's normal stock — guarded on returned_at and keyed by the ledger ref fs-ret:<saleId>, so
 * it happens once however often this runs. Returns the units returned, or null while the sale
 * cannot be closed yet.
 */
export async function returnUnsoldUnits(ctx: Ctx, sale: FlashSaleRecord): Promise<number | null> {
  if (sale.returnedAt != null) return sale.returnedUnits;
  const closed = await closeSaleObjects(ctx, sale);
  if (!closed) return null;
  const d1 = ctx.env.DB;
  await returnPromotionUnits(ctx, {
    skuId: sale.skuId,
    productId: sale.productId,
    units: closed.unsold,
    ref: `fs-ret:${sale.id}`,
    note: `flash sale ${sale.id} ended: ${closed.unsold} unsold units returned`,
    markReturned: [
      guard(d1, 'SELECT returned_at IS NULL FROM flash_sales WHERE id = ?1', sale.id),
      stmt(
        d1,
        ctx.db
          .update(flashSales)
          .set({ returnedUnits: closed.unsold, returnedAt: ctx.now })
          .where(and(eq(flashSales.id, sale.id), isNull(flashSales.returnedAt))),
      ),
    ],
  });
  return closed.unsold;
}
