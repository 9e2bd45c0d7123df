import { and, asc, desc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { badRequest, conflict, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { guard, iso, stmt } from '../../shared/db';
import { priceSchedules, products, skus, stockLedger } from './schema';
import { productTotalsStatement } from './stock.service';
import { assertCanWriteMerchant } from './access';
import { catalogChangeStatements } from './cache-versions';

type ScheduleRow = typeof priceSchedules.$inferSelect;

const toDto = (r: ScheduleRow) => ({
  id: r.id,
  skuId: r.skuId,
  productId: r.productId,
  price: r.price,
  originalPrice: r.originalPrice,
  effectiveAt: iso(r.effectiveAt)!,
  status: r.status,
  createdAt: iso(r.createdAt)!,
  appliedAt: iso(r.appliedAt),
});

async function skuOwned(ctx: Ctx, skuId: string) {
  const [row] = await ctx.db
    .select({ sku: skus, merchantId: products.merchantId })
    .from(skus)
    .innerJoin(products, eq(products.id, skus.productId))
    .where(eq(skus.id, skuId))
    .limit(1);
  if (!row) throw notFound('catalog.sku_not_found', `SKU ${skuId}`);
  return row;
}

/** Schedules a price change (e.g. a 双十一 price at midnight); the cron applies it when due. */
export async function schedulePriceChange(ctx: Ctx, skuId: string, input: { price: number; originalPrice?: number; effectiveAt: string }) {
  const { sku, merchantId } = await skuOwned(ctx, skuId);
  assertCanWriteMerchant(ctx, merchantId);
  const effectiveAt = Date.parse(input.effectiveAt);
  if (effectiveAt <= ctx.now)
    throw badRequest('catalog.schedule_in_past', 'effectiveAt must be in the future; edit the price directly for an immediate change');
  const row: ScheduleRow = {
    id: newId('psc'),
    skuId,
    productId: sku.productId,
    price: input.price,
    originalPrice: input.originalPrice ?? null,
    effectiveAt,
    status: 'pending',
    createdBy: ctx.actor.kind === 'staff' ? ctx.actor.staffId : null,
    createdAt: ctx.now,
    appliedAt: null,
  };
  await ctx.db.insert(priceSchedules).values(row);
  return toDto(row);
}

export async function listPriceSchedules(ctx: Ctx, skuId: string) {
  const { merchantId } = await skuOwned(ctx, skuId);
  assertCanWriteMerchant(ctx, merchantId, 'read');
  const rows = await ctx.db
    .select()
    .from(priceSchedules)
    .where(eq(priceSchedules.skuId, skuId))
    .orderBy(desc(priceSchedules.effectiveAt))
    .limit(100);
  return rows.map(toDto);
}

export async function cancelPriceSchedule(ctx: Ctx, scheduleId: string) {
  const [row] = await ctx.db.select().from(priceSchedules).where(eq(priceSchedules.id, scheduleId)).limit(1);
  if (!row) throw notFound('catalog.price_schedule_not_found', `price schedule ${scheduleId}`);
  const { merchantId } = await skuOwned(ctx, row.skuId);
  assertCanWriteMerchant(ctx, merchantId);
  const res = await ctx.db
    .update(priceSchedules)
    .set({ status: 'cancelled' })
    .where(and(eq(priceSchedules.id, scheduleId), eq(priceSchedules.status, 'pending')));
  if (res.meta.changes !== 1) throw conflict('catalog.price_schedule_not_pending', `the schedule is already ${row.status}`);
  return toDto({ ...row, status: 'cancelled' });
}

/**
 * Applies every due schedule exactly once: each one's batch starts with a guard on its
 * pending status, so overlapping cron runs cannot apply it twice. Returns how many it applied.
 */
export async function applyDuePriceChanges(ctx: Ctx): Promise<number> {
  const due = await ctx.db
    .select()
    .from(priceSchedules)
    .where(and(eq(priceSchedules.status, 'pending'), lte(priceSchedules.effectiveAt, ctx.now)))
    .orderBy(asc(priceSchedules.effectiveAt))
    .limit(200);
  let applied = 0;
  const d1 = ctx.env.DB;
  for (const s of due) {
    // The version bump below keys the product's cached detail; the listing token moves with it.
    const changed = catalogChangeStatements(ctx, { productIds: [s.productId] });
    try {
      await d1.batch([
        guard(d1, "SELECT status = 'pending' FROM price_schedules WHERE id = ?1", s.id),
        stmt(d1, ctx.db.update(priceSchedules).set({ status: 'applied', appliedAt: ctx.now }).where(eq(priceSchedules.id, s.id))),
        stmt(
          d1,
          ctx.db
            .update(skus)
            .set({
              price: s.price,
              originalPrice: sql`max(${s.originalPrice ?? 0}, ${skus.originalPrice}, ${s.price})`,
              updatedAt: ctx.now,
            })
            .where(eq(skus.id, s.skuId)),
        ),
        productTotalsStatement(ctx, s.productId),
        stmt(
          d1,
          ctx.db
            .update(products)
            .set({ version: sql`${products.version} + 1`, updatedAt: ctx.now })
            .where(eq(products.id, s.productId)),
        ),
        ...changed.statements,
      ]);
      applied++;
      changed.applied();
    } catch (e) {
      ctx.log.warn('price schedule not applied (already applied or failed)', { scheduleId: s.id, err: String(e) });
    }
  }
  return applied;
}

const DAY = 24 * 3600 * 1000;

/** Rounds up to a shopper-friendly price ending in 9 yuan-cents: 4312 → 4390, 9950 → 9990. */
function charmRound(amount: number): number {
  if (amount <= 100) return amount;
  return Math.ceil((amount + 10) / 100) * 100 - 10;
}

/**
 * Suggested price for operators: the lowest price meeting the margin target (cost-based floor),
 * nudged by demand — fast sellers (under 14 days of stock) +5%, SKUs that sold nothing in 30
 * days with stock on hand −5% (never below the floor). Every step is listed in `reasons`.
 */
export async function suggestPrice(ctx: Ctx, skuId: string, targetMarginBps: number) {
  const { sku, merchantId } = await skuOwned(ctx, skuId);
  assertCanWriteMerchant(ctx, merchantId, 'read');
  const reasons: string[] = [];
  const [sold] = await ctx.db
    .select({ units: sql<number>`COALESCE(SUM(-${stockLedger.delta}), 0)` })
    .from(stockLedger)
    .where(and(eq(stockLedger.skuId, skuId), eq(stockLedger.reason, 'sale'), gte(stockLedger.createdAt, ctx.now - 30 * DAY)));
  const units = Number(sold?.units ?? 0);
  const perDay = units / 30;
  const daysOfCover = perDay > 0 ? Math.round((sku.stock / perDay) * 10) / 10 : null;

  // floor = cost / (1 - margin), in integer arithmetic: ceil(cost * 10000 / (10000 - bps))
  const floor = sku.cost > 0 ? Math.ceil((sku.cost * 10000) / (10000 - targetMarginBps)) : 0;
  let suggested: number;
  if (sku.cost > 0) {
    suggested = floor;
    reasons.push(`cost ${sku.cost} fen at ${targetMarginBps / 100}% margin needs at least ${floor} fen`);
  } else {
    suggested = sku.price;
    reasons.push('no cost recorded: starting from the current price');
  }
  if (daysOfCover !== null && daysOfCover < 14) {
    suggested = Math.max(suggested, Math.round((sku.price * 105) / 100));
    reasons.push(`selling fast (${units} sold in 30 days, ${daysOfCover} days of stock left): +5% on the current price`);
  } else if (units === 0 && sku.stock > 0) {
    suggested = Math.max(floor, Math.round((Math.max(suggested, sku.price) * 95) / 100));
    reasons.push(`no sales in 30 days with ${sku.stock} in stock: −5%, not below the floor`);
  } else {
    suggested = Math.max(suggested, sku.price);
    reasons.push('steady demand: keep at least the current price');
  }
  const rounded = Math.max(floor, charmRound(suggested));
  if (rounded !== suggested) reasons.push(`rounded to a price ending in 9: ${rounded} fen`);
  return {
    skuId,
    currentPrice: sku.price,
    cost: sku.cost,
    floorPrice: floor,
    suggestedPrice: rounded,
    unitsSoldLast30Days: units,
    daysOfCover,
    reasons,
  };
}
