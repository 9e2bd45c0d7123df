// Which Durable Object decides what for a flash sale. A sale has `buckets` (N) objects, fixed at
// creation: with N = 1 it is the SKU's own SkuStock, exactly as before buckets existed; with N > 1
// bucket b is its own SkuStock (saleBucketStub) holding share b of the allocation, and every call
// about one shopper's reservations goes to bucket hash(sale, shopper) mod N (rules.bucketOf), so
// that bucket's limit check sees all of the shopper's units. bench/SCALE.md section 4 is the design.
//
// Calls that carry only a reservation id (confirm, release, the order consumer's read, the result
// poll, reconciliation) are routed the same way, by (sale, shopper): every caller has both (the
// order row has promo_id and user_id, the queue message saleId and shopperId, the poll the signed-in
// shopper), so reservation and order ids keep their format and one rule routes everything.
import { eq } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { notFound } from '../../shared/errors';
import { saleBucketStub, type SaleSnapshot, type SkuStock } from '../../../durable-objects/sku-stock';
import { bucketOf, bucketShares, type Reservation, type ReservationStatus, type SaleConfig } from './rules';
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

/**
 * The sale's counters, summed over its buckets. With `configure`, a bucket that was never
 * configured (createFlashSale could not reach it) is configured now from the D1 row; without it
 * (sales that are over) such a sale reads as null, as an unconfigured one-object sale always has.
 */
export async function readSaleSnapshot(ctx: Ctx, sale: FlashSaleRow, configure: boolean): Promise<SaleSnapshot | null> {
  const snaps = await Promise.all(
    bucketsOf(sale).map(async (b) => {
      const stub = bucketStub(ctx, sale, b);
      let snap = await stub.snapshot(sale.id);
      if (!snap && configure) {
        await stub.configureSale(configOf(sale, b));
        snap = await stub.snapshot(sale.id);
      }
      return snap;
    }),
  );
  if (snaps.length === 1) return snaps[0]!;
  if (snaps.some((s) => !s)) return null;
  return sumSnapshots(sale.id, snaps as SaleSnapshot[]);
}

function sumSnapshots(saleId: string, snaps: SaleSnapshot[]): SaleSnapshot {
  const sum = (k: 'allocated' | 'reserved' | 'sold' | 'remaining') => snaps.reduce((a, s) => a + s[k], 0);
  return {
    saleId,
    allocated: sum('allocated'),
    reserved: sum('reserved'),
    sold: sum('sold'),
    remaining: sum('remaining'),
    closed: snaps.every((s) => s.closed),
  };
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
 * Closes every bucket of an ended sale (see SkuStock.closeSale) and returns the sale-wide sold and
 * unsold units, or null while it cannot close: not ended, or a reservation still pending in any
 * bucket. Every bucket is checked before any is closed, so one bucket does not start refusing late
 * payments while another still waits. Idempotent: closed buckets report the same counts again.
 */
export async function closeSaleObjects(ctx: Ctx, sale: FlashSaleRow): Promise<{ sold: number; unsold: number } | null> {
  if (ctx.now < sale.endsAt) return null;
  if (sale.buckets > 1) {
    const snap = await readSaleSnapshot(ctx, sale, true);
    if (!snap || snap.reserved > 0) return null;
  }
  const closed = await Promise.all(bucketsOf(sale).map((b) => bucketStub(ctx, sale, b).closeSale(sale.id, ctx.now)));
  if (closed.some((c) => !c.ok)) return null;
  return closed.reduce((a, c) => (c.ok ? { sold: a.sold + c.sold, unsold: a.unsold + c.unsold } : a), { sold: 0, unsold: 0 });
}
