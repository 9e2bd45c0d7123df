import { and, asc, eq, gt } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import type { Env } from '../../shared/env';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { batchFailure, iso, stmt } from '../../shared/db';
import { purgeCache } from '../../shared/cache';
import { getSkuSnapshots } from '../catalog/sku-snapshots.service';
import { stockChangeStatements } from '../catalog/stock.service';
import { assertCanWriteMerchant } from '../catalog/access';
import { productKey } from '../catalog/cache-keys';
import type { SkuStock, SaleSnapshot } from '../../../durable-objects/sku-stock';
import type { SaleConfig } from './rules';
import { flashSales } from './schema';
import type { CreateFlashSaleInput } from './dto';

type FlashSaleRow = typeof flashSales.$inferSelect;

/** The SKU's Durable Object: one per SKU, so all sales of that SKU share one serial decision point. */
export function skuStockStub(env: Env, skuId: string): DurableObjectStub<SkuStock> {
  return env.SKU_STOCK.get(env.SKU_STOCK.idFromName(skuId)) as unknown as DurableObjectStub<SkuStock>;
}

const configOf = (s: FlashSaleRow): SaleConfig => ({
  saleId: s.id,
  allocated: s.allocated,
  perShopperLimit: s.perShopperLimit,
  startsAt: s.startsAt,
  endsAt: s.endsAt,
  reservationTtlMs: s.reservationTtlMs,
});

const stateAt = (s: FlashSaleRow, now: number) => (now < s.startsAt ? 'upcoming' : now >= s.endsAt ? 'ended' : 'live') as 'upcoming' | 'live' | 'ended';

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
    state: stateAt(s, now),
    status: s.status,
  };
}

/**
 * createFlashSale (admin/operator): moves `allocated` units out of the SKU's normal stock and the
 * sale row into D1 in one batch (the stock CHECK aborts it when stock is short; the ledger entry
 * carries ref `fs:<saleId>`), then registers the pool with the SKU's Durable Object.
 * If the DO call fails after the batch, the sale still exists and the DO is configured lazily on
 * the first reserve (configureSale is idempotent).
 */
export async function createFlashSale(ctx: Ctx, input: CreateFlashSaleInput) {
  const sku = (await getSkuSnapshots(ctx, [input.skuId])).get(input.skuId);
  if (!sku) throw notFound('flash_sales.sku_not_found', `SKU ${input.skuId}`);
  assertCanWriteMerchant(ctx, sku.merchantId);
  if (!sku.sellable) throw conflict('flash_sales.sku_not_sellable', 'the SKU is not on sale');
  const startsAt = Date.parse(input.startsAt);
  const endsAt = Date.parse(input.endsAt);
  if (endsAt <= ctx.now) throw badRequest('flash_sales.already_ended', 'endsAt must be in the future');
  if (input.salePrice > sku.price) throw badRequest('flash_sales.price_above_list', `salePrice must not exceed the list price ${sku.price}`);
  if (input.allocated > sku.stock)
    throw conflict('flash_sales.insufficient_stock', `only ${sku.stock} units in stock`, { stock: sku.stock, requested: input.allocated });

  const row: FlashSaleRow = {
    id: newId('fls'),
    skuId: sku.skuId,
    productId: sku.productId,
    merchantId: sku.merchantId,
    salePrice: input.salePrice,
    allocated: input.allocated,
    perShopperLimit: input.perShopperLimit,
    startsAt,
    endsAt,
    reservationTtlMs: input.reservationTtlSeconds * 1000,
    status: 'active',
    createdAt: ctx.now,
  };
  try {
    await ctx.env.DB.batch([
      stmt(ctx.env.DB, ctx.db.insert(flashSales).values(row)),
      ...stockChangeStatements(ctx, {
        skuId: sku.skuId,
        productId: sku.productId,
        change: { delta: -input.allocated },
        reason: 'adjust',
        note: `flash sale ${row.id}: ${input.allocated} units moved to the sale`,
        ref: `fs:${row.id}`,
      }),
    ]);
  } catch (e) {
    // Someone sold or adjusted stock between our read and the batch: the CHECK stock >= 0 refused it.
    if (batchFailure(e) === 'check') throw conflict('flash_sales.insufficient_stock', 'not enough stock for the allocation', { requested: input.allocated });
    throw e;
  }
  await purgeCache([productKey(sku.productId)]);
  let remaining: number | null = null;
  try {
    await skuStockStub(ctx.env, sku.skuId).configureSale(configOf(row));
    remaining = row.allocated;
  } catch (e) {
    ctx.log.error('flash sale DO configure failed; will configure on first reserve', { saleId: row.id, err: String(e) });
  }
  return toDto(row, ctx.now, { title: sku.title, originalPrice: sku.price, remaining });
}

async function snapshotOf(ctx: Ctx, s: FlashSaleRow): Promise<SaleSnapshot | null> {
  try {
    const stub = skuStockStub(ctx.env, s.skuId);
    let snap = await stub.snapshot(s.id);
    if (!snap) {
      await stub.configureSale(configOf(s));
      snap = await stub.snapshot(s.id);
    }
    return snap;
  } catch (e) {
    ctx.log.error('flash sale snapshot failed', { saleId: s.id, err: String(e) });
    return null;
  }
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
    Promise.all(rows.map((r) => snapshotOf(ctx, r))),
    getSkuSnapshots(ctx, rows.map((r) => r.skuId)),
  ]);
  return {
    serverTime: iso(ctx.now)!,
    items: rows.map((r, i) => {
      const sku = skuInfo.get(r.skuId);
      return toDto(r, ctx.now, { title: sku?.title ?? '', originalPrice: sku?.price ?? r.salePrice, remaining: snaps[i]?.remaining ?? null });
    }),
  };
}

const REFUSALS: Record<string, { status: 409 | 400; message: string }> = {
  not_started: { status: 409, message: 'the sale has not started yet' },
  ended: { status: 409, message: 'the sale has ended' },
  sold_out: { status: 409, message: 'sold out' },
  limit_reached: { status: 409, message: 'you have reached the per-shopper limit for this sale' },
  invalid_quantity: { status: 400, message: 'quantity must be a positive integer' },
};

/**
 * reserveFlashSaleUnits (shopper): cheap checks in the Worker, then the SKU's DO decides
 * atomically (units left, per-shopper limit, one reservation per idempotency key). Returns the
 * reservation; a repeated key returns the first reservation with `replayed: true`.
 * Slice 1: no order is created yet.
 */
export async function reserveFlashSaleUnits(ctx: Ctx, saleId: string, input: { quantity: number; idempotencyKey?: string }) {
  if (ctx.actor.kind !== 'user') throw forbidden('only shoppers can reserve flash-sale units');
  const key = input.idempotencyKey;
  if (!key || key.length < 8 || key.length > 100)
    throw badRequest('validation.failed', 'Idempotency-Key header is required (8–100 characters)', { in: 'header', issues: [{ path: 'idempotency-key', message: 'required', code: 'custom' }] });
  const [sale] = await ctx.db.select().from(flashSales).where(eq(flashSales.id, saleId)).limit(1);
  if (!sale || sale.status !== 'active') throw notFound('flash_sales.sale_not_found', `flash sale ${saleId}`);
  const stub = skuStockStub(ctx.env, sale.skuId);
  const req = { saleId, shopperId: ctx.actor.userId, quantity: input.quantity, idempotencyKey: key, now: ctx.now };
  let out = await stub.reserve(req);
  if (!out.ok && out.reason === 'unknown_sale') {
    // createFlashSale could not reach the DO: configure it now from the D1 row (idempotent).
    await stub.configureSale(configOf(sale));
    out = await stub.reserve(req);
  }
  if (!out.ok) {
    const r = REFUSALS[out.reason];
    if (!r) throw new AppError('flash_sales.unavailable', 503, `stock service refused: ${out.reason}`);
    const { reason, ...details } = out;
    void reason;
    throw new AppError(`flash_sales.${out.reason}`, r.status, r.message, details.remaining !== undefined || details.held !== undefined ? details : undefined);
  }
  const r = out.reservation;
  return {
    reservationId: r.id,
    saleId: r.saleId,
    quantity: r.quantity,
    status: r.status,
    salePrice: sale.salePrice,
    expiresAt: iso(r.expiresAt)!,
    replayed: out.replayed,
  };
}
