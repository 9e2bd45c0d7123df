// Which Durable Object decides what for a flash sale. A sale has `buckets` (N) objects, fixed at
// creation: with N = 1 it is the SKU's own SkuStock, exactly as before buckets existed; with N > 1
// bucket b is its own SkuStock (saleBucketStub) starting with share b of the allocation, and every
// call about one shopper's reservations goes to bucket hash(sale, shopper) mod N (rules.bucketOf),
// so that bucket's limit check sees all of the shopper's units. The SKU's own object is then the
// sale's coordinator: it keeps the pool that leftovers move through (durable-objects/sale-buckets.ts).
// bench/SCALE.md section 4 is the design.
//
// Calls that carry only a reservation id (confirm, release, the order consumer's read, the result
// poll, reconciliation) are routed the same way, by (sale, shopper): every caller has both (the
// order row has promo_id and user_id, the queue message saleId and shopperId, the poll the signed-in
// shopper), so reservation and order ids keep their format and one rule routes everything.
import { eq } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { notFound } from '../../shared/errors';
import { saleBucketStub, skuStockStub, type SaleSnapshot, type SkuStock } from '../../../durable-objects/sku-stock';
import type { BucketInfo } from '../../../durable-objects/sale-buckets';
import { bucketOf, bucketShares, unitsAccountedFor, type Reservation, type ReservationStatus, type SaleConfig } from './rules';
import { flashSales } from './schema';

type FlashSaleRow = typeof flashSales.$inferSelect;

/**
 * The DO holds a reservation this much longer than the order may be paid: a payment made just
 * before the order's deadline still finds its units held while its notification travels.
 */
export const HOLD_GRACE_MS = 2 * 60_000;

/** What routing a call needs; none of it changes after the sale is created. */
export type SaleRoute = Pick<FlashSaleRow, 'id' | 'skuId' | 'buckets'>;

/** A reservation as the callers that only hold its id know it: its sale and shopper route it. */
export interface HoldRef {
  saleId: string;
  shopperId: string;
  reservationId: string;
}

/** Bucket b's pool: the sale's config with b's share of the allocation (the whole of it when N = 1). */
export function configOf(s: FlashSaleRow, bucket = 0): SaleConfig {
  return {
    saleId: s.id,
    allocated: s.buckets <= 1 ? s.allocated : bucketShares(s.allocated, s.buckets)[bucket]!,
    perShopperLimit: s.perShopperLimit,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    reservationTtlMs: s.reservationTtlMs + HOLD_GRACE_MS,
  };
}

/** The sale's whole pool, as its coordinator keeps it. */
export const wholeConfigOf = (s: FlashSaleRow): SaleConfig => ({ ...configOf(s), allocated: s.allocated });

/** What bucket b of a bucketed sale is told about itself (undefined for a one-object sale). */
export function bucketInfoOf(s: FlashSaleRow, bucket: number): BucketInfo | undefined {
  return s.buckets <= 1 ? undefined : { skuId: s.skuId, bucket, buckets: s.buckets, allocated: s.allocated };
}

/**
 * Registers the sale with its objects (idempotent, so also used on demand): for N > 1 the
 * coordinator first, so a bucket that runs dry finds it, then every bucket with its share.
 */
export async function configureSaleObjects(ctx: Ctx, s: FlashSaleRow): Promise<void> {
  if (s.buckets > 1) await skuStockStub(ctx.env, s.skuId).configureCoordinator(wholeConfigOf(s), s.buckets, s.skuId);
  await Promise.all(bucketsOf(s).map((b) => bucketStub(ctx, s, b).configureSale(configOf(s, b), bucketInfoOf(s, b))));
}

/** 0 … N−1. */
export const bucketsOf = (sale: SaleRoute): number[] => [...Array(Math.max(1, sale.buckets)).keys()];

/** The bucket holding a shopper's reservations in the sale. */
export const shopperBucket = (sale: SaleRoute, shopperId: string): number => bucketOf(sale.id, shopperId, sale.buckets);

/** The object of one bucket. */
export const bucketStub = (ctx: Ctx, sale: SaleRoute, bucket: number): DurableObjectStub<SkuStock> => saleBucketStub(ctx.env, sale, bucket);

/**
 * Each isolate keeps the routes it has seen: a sale's SKU and bucket count never change, so the
 * payment and consumer paths route without a D1 read after the first.
 */
const routes = new Map<string, SaleRoute>();

/** Keeps a sale row's route (readers of the full row call this so later hold calls need no query). */
export function rememberRoute(row: SaleRoute): void {
  if (routes.size > 5000) routes.clear();
  routes.set(row.id, { id: row.id, skuId: row.skuId, buckets: row.buckets });
}

/** The route of a sale in any status (a paid order of a cancelled sale must still reach its bucket). */
export async function routeOf(ctx: Ctx, saleId: string): Promise<SaleRoute> {
  const hit = routes.get(saleId);
  if (hit) return hit;
  const [row] = await ctx.db
    .select({ id: flashSales.id, skuId: flashSales.skuId, buckets: flashSales.buckets })
    .from(flashSales)
    .where(eq(flashSales.id, saleId))
    .limit(1);
  if (!row) throw notFound('flash_sales.sale_not_found', `flash sale ${saleId}`);
  rememberRoute(row);
  return row;
}

const holdStub = async (ctx: Ctx, hold: HoldRef) => {
  const sale = await routeOf(ctx, hold.saleId);
  return bucketStub(ctx, sale, shopperBucket(sale, hold.shopperId));
};

/**
 * One reservation as its bucket holds it, or null — also null when it is not this shopper's: the
 * shopper's bucket is the only place looked in.
 */
export async function reservationOf(ctx: Ctx, hold: HoldRef): Promise<Reservation | null> {
  const r = await (await holdStub(ctx, hold)).reservation(hold.reservationId);
  return r && r.shopperId === hold.shopperId && r.saleId === hold.saleId ? r : null;
}

/** Several reservations, one call per bucket involved; unknown ones (and other shoppers') are absent. */
export async function reservationsOf(ctx: Ctx, holds: HoldRef[]): Promise<Reservation[]> {
  const byObject = new Map<string, { stub: DurableObjectStub<SkuStock>; holds: HoldRef[] }>();
  for (const h of holds) {
    const sale = await routeOf(ctx, h.saleId);
    const b = shopperBucket(sale, h.shopperId);
    const name = `${sale.buckets <= 1 ? sale.skuId : sale.id}:${b}`;
    const entry = byObject.get(name) ?? { stub: bucketStub(ctx, sale, b), holds: [] };
    entry.holds.push(h);
    byObject.set(name, entry);
  }
  const found = await Promise.all(
    [...byObject.values()].map(async ({ stub, holds: hs }) => {
      const rs = await stub.reservationsByIds(hs.map((h) => h.reservationId));
      const asked = new Set(hs.map((h) => `${h.reservationId}\u0000${h.shopperId}\u0000${h.saleId}`));
      return rs.filter((r) => asked.has(`${r.id}\u0000${r.shopperId}\u0000${r.saleId}`));
    }),
  );
  return found.flat();
}

/** Returns a reservation's units to its bucket (cancel, failed order); releasing twice is a no-op. */
export async function releaseReservation(ctx: Ctx, hold: HoldRef) {
  return (await holdStub(ctx, hold)).release(hold.reservationId);
}

/** Payment arrived: the reservation's units are sold (or re-taken if it lapsed; see SkuStock.confirm). */
export async function confirmReservation(ctx: Ctx, hold: HoldRef) {
  return (await holdStub(ctx, hold)).confirm(hold.reservationId);
}

/** A sale's counters; for a bucketed sale, summed over its objects, with the unit accounting checked. */
export interface SaleCounters extends SaleSnapshot {
  /**
   * pool + Σ bucket allocations + units in transfer = the sale's allocation (always true with one
   * object). Read from N + 1 objects one after another, so a transfer caught between two reads can
   * make it false for a moment: readers settle the transfers and read again before believing it.
   */
  conserved: boolean;
}

/**
 * The sale's counters, summed over its objects. With `configure`, an object that was never
 * configured (createFlashSale could not reach it) is configured now from the D1 row; without it
 * (sales that are over) such a sale reads as null, as an unconfigured one-object sale always has.
 */
export async function readSaleSnapshot(ctx: Ctx, sale: FlashSaleRow, configure: boolean): Promise<SaleCounters | null> {
  if (sale.buckets <= 1) {
    const stub = bucketStub(ctx, sale, 0);
    let snap = await stub.snapshot(sale.id);
    if (!snap && configure) {
      await stub.configureSale(configOf(sale, 0));
      snap = await stub.snapshot(sale.id);
    }
    return snap && { ...snap, conserved: snap.allocated === sale.allocated };
  }
  let counters = await sumObjects(ctx, sale, configure);
  if (counters && !counters.conserved) {
    await settleTransfers(ctx, sale);
    counters = await sumObjects(ctx, sale, configure);
  }
  return counters;
}

async function sumObjects(ctx: Ctx, sale: FlashSaleRow, configure: boolean): Promise<SaleCounters | null> {
  const views = async () =>
    Promise.all(
      [skuStockStub(ctx.env, sale.skuId), ...bucketsOf(sale).map((b) => bucketStub(ctx, sale, b))].map((stub) => stub.saleView(sale.id)),
    );
  let [coordinator, ...buckets] = await views();
  if (configure && (coordinator!.pool === null || buckets.some((v) => !v.snapshot))) {
    await configureSaleObjects(ctx, sale);
    [coordinator, ...buckets] = await views();
  }
  if (coordinator!.pool === null || buckets.some((v) => !v.snapshot)) return null;
  const snaps = buckets.map((v) => v.snapshot!);
  const pool = coordinator!.pool;
  const inTransfer = coordinator!.inTransfer + buckets.reduce((a, v) => a + v.inTransfer, 0);
  const accounted = unitsAccountedFor(
    pool,
    snaps.map((s) => s.allocated),
    inTransfer,
  );
  const closed = coordinator!.closed && snaps.every((s) => s.closed);
  const sum = (k: 'reserved' | 'sold' | 'remaining') => snaps.reduce((a, s) => a + s[k], 0);
  return {
    saleId: sale.id,
    allocated: accounted,
    reserved: sum('reserved'),
    sold: sum('sold'),
    // units in transfer are on their way to a bucket or the pool: shown as remaining too
    remaining: closed ? 0 : pool + inTransfer + sum('remaining'),
    closed,
    conserved: accounted === sale.allocated,
  };
}

/** Asks every object of a bucketed sale to resend what it has not seen confirmed; true when nothing is left in transfer. */
export async function settleTransfers(ctx: Ctx, sale: FlashSaleRow): Promise<boolean> {
  if (sale.buckets <= 1) return true;
  const stubs = [skuStockStub(ctx.env, sale.skuId), ...bucketsOf(sale).map((b) => bucketStub(ctx, sale, b))];
  return (await Promise.all(stubs.map((s) => s.settleTransfers(sale.id)))).every(Boolean);
}

/** A sale's reservations in one status, a page at a time, bucket after bucket (each in id order). */
export async function* reservationPages(
  ctx: Ctx,
  sale: SaleRoute,
  status: ReservationStatus,
  pageSize: number,
): AsyncGenerator<Reservation[]> {
  for (const b of bucketsOf(sale)) {
    const stub = bucketStub(ctx, sale, b);
    for (let after = ''; ;) {
      const page = await stub.listReservations(sale.id, status, pageSize, after);
      if (page.length === 0) break;
      yield page;
      after = page.at(-1)!.id;
    }
  }
}

/**
 * Closes every object of an ended sale and returns the sale-wide sold and unsold units, or null
 * while it cannot close: not ended, a reservation still pending in any bucket, or units still in
 * transfer. For a bucketed sale (SCALE.md 4.7) the coordinator stops granting first and waits until
 * every grant it sent has arrived; every bucket is checked before any is closed (so one bucket
 * does not start refusing late payments while another still waits), and each closes only when the
 * units it gave back have arrived; then the coordinator's pool is final, and unsold = pool +
 * Σ unsold_b. Idempotent: closed objects report the same counts again.
 */
export async function closeSaleObjects(ctx: Ctx, sale: FlashSaleRow): Promise<{ sold: number; unsold: number } | null> {
  if (ctx.now < sale.endsAt) return null;
  if (sale.buckets <= 1) {
    const closed = await bucketStub(ctx, sale, 0).closeSale(sale.id, ctx.now);
    return closed.ok ? { sold: closed.sold, unsold: closed.unsold } : null;
  }
  const coordinator = skuStockStub(ctx.env, sale.skuId);
  let begun = await coordinator.beginCloseCoordinator(sale.id, ctx.now);
  if (!begun.ok && begun.reason === 'unknown_sale') {
    await configureSaleObjects(ctx, sale);
    begun = await coordinator.beginCloseCoordinator(sale.id, ctx.now);
  }
  if (!begun.ok) return null;
  const snap = await readSaleSnapshot(ctx, sale, true);
  if (!snap || snap.reserved > 0) return null;
  const closed = await Promise.all(bucketsOf(sale).map((b) => bucketStub(ctx, sale, b).closeSale(sale.id, ctx.now)));
  if (closed.some((c) => !c.ok)) return null;
  const pool = await coordinator.finishCloseCoordinator(sale.id, ctx.now);
  if (!pool.ok) return null;
  return closed.reduce((a, c) => (c.ok ? { sold: a.sold + c.sold, unsold: a.unsold + c.unsold } : a), { sold: 0, unsold: pool.unsold });
}
