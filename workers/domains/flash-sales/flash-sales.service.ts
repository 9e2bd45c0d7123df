import { and, asc, desc, eq, gt, inArray, lt, or } from 'drizzle-orm';
import { decodeCursor, toPage } from '../../shared/pagination';
import { merchantScope } from '../catalog/access';
import { type Ctx, shopperId } from '../../shared/context';
import type { Env } from '../../shared/env';
import { AppError, badRequest, conflict, notFound, routine } from '../../shared/errors';
import { callObject } from '../../shared/durable';
import { newId } from '../../shared/ids';
import { batchFailure, D1_IN_CHUNK, inChunks, iso, stmt } from '../../shared/db';
import { windowCondition, windowState, type WindowState } from '../../shared/schedule';
import { getSkuSnapshots } from '../catalog/sku-snapshots.service';
import { stockChangeStatements } from '../catalog/stock.service';
import { assertCanWriteMerchant } from '../catalog/access';
import { stockChangedHere } from '../catalog/cache-versions';
import type { ReserveOutcome, SaleSnapshot } from '../../../durable-objects/sku-stock';
import { bucketOf } from './rules';
import {
  bucketInfoOf,
  bucketStub,
  configOf,
  configureSaleObjects,
  readSaleSnapshot,
  rememberRoute,
  shopperBucket,
  type SaleCounters,
} from './buckets';
import { flashSales } from './schema';
import type { CreateFlashSaleInput } from './dto';
import { issueSaleToken, verifySaleToken } from './sale-token';
import { requireSecret } from '../../shared/env';

type FlashSaleRow = typeof flashSales.$inferSelect;

function toDto(s: FlashSaleRow, now: number, extra: { title: string; originalPrice: number; remaining: number | null }) {
  return {
    id: s.id,
    skuId: s.skuId,
    productId: s.productId,
    merchantId: s.merchantId,
    title: extra.title,
    salePrice: s.salePrice,
    originalPrice: extra.originalPrice,
    allocated: s.allocated,
    remaining: extra.remaining,
    perShopperLimit: s.perShopperLimit,
    startsAt: iso(s.startsAt)!,
    endsAt: iso(s.endsAt)!,
    state: windowState(s, now),
    status: s.status,
    seriesId: s.seriesId,
    roundLabel: s.roundLabel,
    requireToken: s.requireToken,
    buckets: s.buckets,
  };
}

/** "10:00场" in Beijing time (UTC+8, no daylight saving), how shoppers name a round. */
export function roundLabelOf(startsAt: number): string {
  const d = new Date(startsAt + 8 * 3600_000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}场`;
}

/**
 * createFlashSale (admin/operator): moves `allocated` units (per round) out of the SKU's normal
 * stock and writes the sale rows in one batch (the stock CHECK aborts it when stock is short; each
 * round's ledger entry carries ref `fs:<saleId>`), then registers each pool with its Durable
 * Objects: the SKU's own, or with `buckets` > 1 each bucket with its share (buckets.ts). If a DO
 * call fails after the batch, that pool is configured lazily on first use (configureSale is
 * idempotent).
 */
export async function createFlashSale(ctx: Ctx, input: CreateFlashSaleInput) {
  const sku = (await getSkuSnapshots(ctx, [input.skuId])).get(input.skuId);
  if (!sku) throw notFound('flash_sales.sku_not_found', `SKU ${input.skuId}`);
  assertCanWriteMerchant(ctx, sku.merchantId);
  if (!sku.sellable) throw conflict('flash_sales.sku_not_sellable', 'the SKU is not on sale');
  const windows = (input.rounds ?? [{ startsAt: input.startsAt!, endsAt: input.endsAt! }])
    .map((r) => ({ startsAt: Date.parse(r.startsAt), endsAt: Date.parse(r.endsAt) }))
    .sort((a, b) => a.startsAt - b.startsAt);
  for (let i = 1; i < windows.length; i++)
    if (windows[i]!.startsAt < windows[i - 1]!.endsAt) throw badRequest('flash_sales.rounds_overlap', 'rounds must not overlap');
  if (windows.some((w) => w.endsAt <= ctx.now)) throw badRequest('flash_sales.already_ended', 'every round must end in the future');
  if (input.salePrice > sku.price)
    throw badRequest('flash_sales.price_above_list', `salePrice must not exceed the list price ${sku.price}`);
  const total = input.allocated * windows.length;
  if (total > sku.stock)
    throw conflict('flash_sales.insufficient_stock', `only ${sku.stock} units in stock`, { stock: sku.stock, requested: total });

  const seriesId = newId('fls');
  const rows: FlashSaleRow[] = windows.map((w, i) => ({
    id: i === 0 ? seriesId : newId('fls'),
    skuId: sku.skuId,
    productId: sku.productId,
    merchantId: sku.merchantId,
    salePrice: input.salePrice,
    allocated: input.allocated,
    perShopperLimit: input.perShopperLimit,
    startsAt: w.startsAt,
    endsAt: w.endsAt,
    reservationTtlMs: input.reservationTtlSeconds * 1000,
    status: 'active',
    seriesId,
    roundLabel: input.rounds ? roundLabelOf(w.startsAt) : '',
    requireToken: input.requireToken,
    buckets: input.buckets,
    soldUnits: 0,
    reservedUnits: 0,
    reconciledAt: null,
    returnedUnits: null,
    returnedAt: null,
    createdAt: ctx.now,
  }));
  try {
    await ctx.env.DB.batch(
      rows.flatMap((row) => [
        stmt(ctx.env.DB, ctx.db.insert(flashSales).values(row)),
        ...stockChangeStatements(ctx, {
          skuId: sku.skuId,
          productId: sku.productId,
          change: { delta: -row.allocated },
          reason: 'adjust',
          note: `flash sale ${row.id}: ${row.allocated} units moved to the sale`,
          ref: `fs:${row.id}`,
        }),
      ]),
    );
  } catch (e) {
    // Someone sold or adjusted stock between our read and the batch: the CHECK stock >= 0 refused it.
    if (batchFailure(e) === 'check')
      throw conflict('flash_sales.insufficient_stock', 'not enough stock for the allocation', { requested: total });
    throw e;
  }
  // the units left the SKU's normal stock: this isolate's product page shows it at once, others within 1 s
  stockChangedHere([sku.productId]);
  const dtos = await Promise.all(
    rows.map(async (row) => {
      let remaining: number | null = null;
      try {
        await configureSaleObjects(ctx, row);
        remaining = row.allocated;
      } catch (e) {
        ctx.log.error('flash sale DO configure failed; will configure on first reserve', { saleId: row.id, err: String(e) });
      }
      return toDto(row, ctx.now, { title: sku.title, originalPrice: sku.price, remaining });
    }),
  );
  return { ...dtos[0]!, rounds: dtos };
}

async function snapshotOf(ctx: Ctx, s: FlashSaleRow): Promise<SaleCounters | null> {
  try {
    return await readSaleSnapshot(ctx, s, true);
  } catch (e) {
    ctx.log.error('flash sale snapshot failed', { saleId: s.id, err: String(e) });
    return null;
  }
}

/** The DO's counters for a sale, summed over its buckets (configuring a pool from D1 if it never was). */
export const saleSnapshot = snapshotOf;

/**
 * The storefront's view of a sale's counters, kept per isolate for LISTING_SNAPSHOT_MS: shoppers
 * refreshing the sale page would otherwise queue calls at the very object deciding the
 * reservations, in the very second it is busiest. "Remaining" on the page is at most this old;
 * reserveFlashSale asks the object itself.
 */
const LISTING_SNAPSHOT_MS = 1_000;
const listingSnapshots = new Map<string, { snap: SaleSnapshot | null; until: number }>();
async function listingSnapshotOf(ctx: Ctx, s: FlashSaleRow): Promise<SaleSnapshot | null> {
  const hit = listingSnapshots.get(s.id);
  if (hit && hit.until > ctx.now) return hit.snap;
  const snap = await snapshotOf(ctx, s);
  if (listingSnapshots.size > 1000) listingSnapshots.clear();
  if (snap) listingSnapshots.set(s.id, { snap, until: ctx.now + LISTING_SNAPSHOT_MS });
  return snap;
}

/** What this isolate's own reserves teach its listing at once: units taken, or none left. */
function listingTook(saleId: string, units: number | 'all'): void {
  const hit = listingSnapshots.get(saleId);
  if (!hit?.snap) return;
  const remaining = units === 'all' ? 0 : Math.max(0, hit.snap.remaining - units);
  hit.snap = { ...hit.snap, remaining, reserved: hit.snap.reserved + (hit.snap.remaining - remaining) };
}

/** listFlashSales: active sales that are live or upcoming, soonest first, with the server time and remaining units. */
export async function listFlashSales(ctx: Ctx) {
  const rows = await ctx.db
    .select()
    .from(flashSales)
    .where(and(eq(flashSales.status, 'active'), gt(flashSales.endsAt, ctx.now)))
    .orderBy(asc(flashSales.startsAt), asc(flashSales.id))
    .limit(50);
  const [snaps, skuInfo] = await Promise.all([
    Promise.all(rows.map((r) => listingSnapshotOf(ctx, r))),
    getSkuSnapshots(
      ctx,
      rows.map((r) => r.skuId),
    ),
  ]);
  return {
    serverTime: iso(ctx.now)!,
    items: rows.map((r, i) => {
      const sku = skuInfo.get(r.skuId);
      return toDto(r, ctx.now, {
        title: sku?.title ?? '',
        originalPrice: sku?.price ?? r.salePrice,
        remaining: snaps[i]?.remaining ?? null,
      });
    }),
  };
}

/**
 * Sale rows change only when cancelled, and the reserve path reads them on every tap: each isolate
 * keeps them for a few seconds. Likewise a "sold out" answer from the DO is remembered briefly so
 * a crowd tapping a sold-out sale is answered without reaching the DO (units released by unpaid
 * orders come back within SOLD_OUT_CACHE_MS).
 */
const SALE_CACHE_MS = 5_000;
const SOLD_OUT_CACHE_MS = 1_000;
const saleCache = new Map<string, { row: FlashSaleRow; until: number }>();
/** Keyed by (sale, bucket): one bucket running dry says nothing about the others. */
const soldOutUntil = new Map<string, number>();
const soldOutKey = (saleId: string, bucket: number) => `${saleId}:${bucket}`;

export async function getSaleRow(ctx: Ctx, saleId: string): Promise<FlashSaleRow> {
  const hit = saleCache.get(saleId);
  if (hit && hit.until > ctx.now) return hit.row;
  const [row] = await ctx.db.select().from(flashSales).where(eq(flashSales.id, saleId)).limit(1);
  if (!row || row.status !== 'active') throw notFound('flash_sales.sale_not_found', `flash sale ${saleId}`);
  rememberRoute(row);
  if (saleCache.size > 1000) saleCache.clear();
  saleCache.set(saleId, { row, until: ctx.now + SALE_CACHE_MS });
  return row;
}

const REFUSALS: Record<string, { status: 409 | 400; message: string }> = {
  not_started: { status: 409, message: 'the sale has not started yet' },
  ended: { status: 409, message: 'the sale has ended' },
  sold_out: { status: 409, message: 'sold out' },
  limit_reached: { status: 409, message: 'you have reached the per-shopper limit for this sale' },
  invalid_quantity: { status: 400, message: 'quantity must be a positive integer' },
};

const refusal = (reason: string, details?: unknown) => {
  const r = REFUSALS[reason];
  if (!r) return new AppError('flash_sales.unavailable', 503, `stock service refused: ${reason}`);
  const e = new AppError(`flash_sales.${reason}`, r.status, r.message, details);
  return r.status === 409 ? routine(e) : e;
};

/**
 * The cheap rejections a Worker can make without the DO: not started, ended, the shopper's bucket
 * sold out a moment ago. They only ever refuse; the DO decides every success.
 */
export function precheck(sale: FlashSaleRow, now: number, shopperId: string): void {
  if (now < sale.startsAt) throw refusal('not_started', { startsAt: iso(sale.startsAt) });
  if (now >= sale.endsAt) throw refusal('ended');
  const until = soldOutUntil.get(soldOutKey(sale.id, bucketOf(sale.id, shopperId, sale.buckets)));
  if (until && until > now) throw refusal('sold_out', { remaining: 0 });
}

/**
 * Asks the shopper's bucket of the sale (the SKU's DO when the sale has one bucket) for units
 * (atomic: units left, per-shopper limit, one reservation per idempotency key). A repeated key
 * returns the first reservation with `replayed: true`.
 */
export async function reserveUnits(
  ctx: Ctx,
  sale: FlashSaleRow,
  req: { shopperId: string; quantity: number; idempotencyKey: string; meta?: string; queueOrder?: boolean },
) {
  const bucket = shopperBucket(sale, req.shopperId);
  const stub = bucketStub(ctx, sale, bucket);
  const call = { saleId: sale.id, ...req, now: ctx.now };
  let out = await callObject<ReserveOutcome>('flash_sales', () => stub.reserve(call));
  if (!out.ok && out.reason === 'unknown_sale') {
    // createFlashSale could not reach the DO: configure it now from the D1 row (idempotent).
    await stub.configureSale(configOf(sale, bucket), bucketInfoOf(sale, bucket));
    out = await callObject<ReserveOutcome>('flash_sales', () => stub.reserve(call));
  }
  if (!out.ok) {
    if (out.reason === 'sold_out') {
      soldOutUntil.set(soldOutKey(sale.id, bucket), ctx.now + SOLD_OUT_CACHE_MS);
      // one bucket out of units is not the sale: the listing learns the rest within a second
      if (sale.buckets <= 1) listingTook(sale.id, 'all');
    }
    const { reason, ...details } = out;
    throw refusal(reason, details.remaining !== undefined || details.held !== undefined ? details : undefined);
  }
  if (!out.replayed) listingTook(sale.id, out.reservation.quantity);
  return out;
}

/**
 * Sale rows by id, in any status, in no particular order (unknown ids are absent) — for other
 * domains that link sales, such as a campaign's landing page. Queried in chunks under D1's limit
 * of bound parameters, so no list is cut short.
 */
export function flashSalesByIds(ctx: Ctx, ids: string[]): Promise<FlashSaleRow[]> {
  return inChunks(ids, D1_IN_CHUNK, (part) => ctx.db.select().from(flashSales).where(inArray(flashSales.id, part)));
}

/**
 * issueFlashSaleToken: the anti-bot token for one live sale and one shopper, valid until the sale
 * ends. Refused before the start, which is the point: nothing can be prepared in advance.
 */
export async function issueFlashSaleToken(ctx: Ctx, saleId: string) {
  const userId = shopperId(ctx, 'only shoppers take part in flash sales');
  const sale = await getSaleRow(ctx, saleId);
  if (ctx.now < sale.startsAt) throw refusal('not_started', { startsAt: iso(sale.startsAt) });
  if (ctx.now >= sale.endsAt) throw refusal('ended');
  return { token: await issueSaleToken(requireSecret(ctx.env, 'JWT_SECRET'), sale.id, userId, sale.endsAt), expiresAt: iso(sale.endsAt)! };
}

/** Checks the anti-bot token when the sale asks for one. */
export async function assertSaleToken(ctx: Ctx, sale: FlashSaleRow, userId: string, token: string | undefined): Promise<void> {
  if (!sale.requireToken) return;
  if (!(await verifySaleToken(requireSecret(ctx.env, 'JWT_SECRET'), token, sale.id, userId, ctx.now)))
    throw new AppError('flash_sales.token_required', 403, 'this sale needs a fresh X-Flash-Token from issueFlashSaleToken');
}

/**
 * listAdminFlashSales (console): every sale, cancelled and ended ones included, latest start first,
 * with the remaining units the SKU's DO reports (null if it cannot be reached). Merchant staff see
 * their own merchant's sales only.
 */
export async function listAdminFlashSales(
  ctx: Ctx,
  q: { state?: WindowState; status?: 'active' | 'cancelled'; limit: number; cursor?: string },
) {
  const merchantId = merchantScope(ctx);
  const cur = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select()
    .from(flashSales)
    .where(
      and(
        merchantId ? eq(flashSales.merchantId, merchantId) : undefined,
        q.status ? eq(flashSales.status, q.status) : undefined,
        q.state ? windowCondition(flashSales, q.state, ctx.now) : undefined,
        cur
          ? or(lt(flashSales.startsAt, Number(cur.v)), and(eq(flashSales.startsAt, Number(cur.v)), lt(flashSales.id, cur.id)))
          : undefined,
      ),
    )
    .orderBy(desc(flashSales.startsAt), desc(flashSales.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.startsAt, id: r.id }));
  const [snaps, skuInfo] = await Promise.all([
    Promise.all(
      page.items.map(async (r) => {
        // Live and upcoming pools are configured on demand; past ones are only read, never re-created.
        if (r.status === 'active' && r.endsAt > ctx.now) return snapshotOf(ctx, r);
        try {
          return await readSaleSnapshot(ctx, r, false);
        } catch {
          return null;
        }
      }),
    ),
    getSkuSnapshots(
      ctx,
      page.items.map((r) => r.skuId),
    ),
  ]);
  return {
    serverTime: iso(ctx.now)!,
    nextCursor: page.nextCursor,
    items: page.items.map((r, i) => {
      const sku = skuInfo.get(r.skuId);
      return toDto(r, ctx.now, {
        title: sku?.title ?? '',
        originalPrice: sku?.price ?? r.salePrice,
        remaining: snaps[i]?.remaining ?? null,
      });
    }),
  };
}
