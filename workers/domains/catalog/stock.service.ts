import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { AppError, conflict, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { batchFailure, iso } from '../../shared/db';
import { emit } from '../../shared/events';
import { LowStock, type LowStockEvent } from './events';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import { inventoryAlerts, products, skus, stockLedger } from './schema';
import { stockChangedHere } from './cache-versions';
import { assertCanWriteMerchant, merchantScope } from './access';
import type { AdjustStockInput } from './dto';

export type StockReason = (typeof stockLedger.$inferInsert)['reason'];

/**
 * Statements that raise a low-stock alert when a SKU is at or under its threshold and none is
 * open (the partial unique index makes it exactly one), and resolve it once stock recovers.
 * Append them to any batch that changes stock or thresholds.
 */
export function alertStatements(ctx: Ctx, skuId: string, alertId = newId('alr')): [D1PreparedStatement, D1PreparedStatement] {
  const d1 = ctx.env.DB;
  return [
    d1
      .prepare(
        `INSERT INTO inventory_alerts (id, sku_id, product_id, merchant_id, stock, threshold, status, created_at)
         SELECT ?, s.id, s.product_id, p.merchant_id, s.stock, s.low_stock_threshold, 'open', ?
         FROM skus s JOIN products p ON p.id = s.product_id
         WHERE s.id = ? AND s.enabled = 1 AND s.stock <= s.low_stock_threshold
         ON CONFLICT DO NOTHING`,
      )
      .bind(alertId, ctx.now, skuId),
    d1
      .prepare(
        `UPDATE inventory_alerts SET status = 'resolved', resolved_at = ?
         WHERE sku_id = ? AND status = 'open'
           AND (SELECT stock > low_stock_threshold OR enabled = 0 FROM skus WHERE id = ?)`,
      )
      .bind(ctx.now, skuId, skuId),
  ];
}

/** Keeps the product's denormalised stock and price range in step with its enabled SKUs. */
export function productTotalsStatement(ctx: Ctx, productId: string): D1PreparedStatement {
  return ctx.env.DB.prepare(
    `UPDATE products SET
       total_stock = (SELECT COALESCE(SUM(stock), 0) FROM skus WHERE product_id = ?1 AND enabled = 1),
       min_price = COALESCE((SELECT MIN(price) FROM skus WHERE product_id = ?1 AND enabled = 1), 0),
       max_price = COALESCE((SELECT MAX(price) FROM skus WHERE product_id = ?1 AND enabled = 1), 0)
     WHERE id = ?1`,
  ).bind(productId);
}

export interface StockChange {
  skuId: string;
  productId: string;
  /** A signed delta, or an absolute count for stocktakes. */
  change: { delta: number } | { setTo: number };
  reason: StockReason;
  note?: string;
  /** Unique per SKU: repeating a change with the same ref is a no-op (idempotency). */
  ref?: string | null;
  entryId?: string;
}

/**
 * Batch statements for one stock change: the ledger entry (written first, so stock_after is
 * computed in SQL), the guarded stock update (the CHECK stock >= 0 aborts the whole batch when
 * stock is short) and the product totals. Orders reuse this inside their own batch.
 */
export function stockChangeStatements(ctx: Ctx, c: StockChange): D1PreparedStatement[] {
  const d1 = ctx.env.DB;
  const actorId = ctx.actor.kind === 'staff' ? ctx.actor.staffId : ctx.actor.kind === 'user' ? ctx.actor.userId : null;
  const entryId = c.entryId ?? newId('stl');
  const set = 'setTo' in c.change;
  const amount = set ? (c.change as { setTo: number }).setTo : (c.change as { delta: number }).delta;
  return [
    d1
      .prepare(
        `INSERT INTO stock_ledger (id, sku_id, product_id, delta, stock_after, reason, note, ref, actor_id, created_at)
         SELECT ?1, id, product_id, ${set ? '?2 - stock' : '?2'}, ${set ? '?2' : 'stock + ?2'}, ?3, ?4, ?5, ?6, ?7
         FROM skus WHERE id = ?8`,
      )
      .bind(entryId, amount, c.reason, c.note ?? '', c.ref ?? null, actorId, ctx.now, c.skuId),
    d1.prepare(`UPDATE skus SET stock = ${set ? '?1' : 'stock + ?1'}, updated_at = ?2 WHERE id = ?3`).bind(amount, ctx.now, c.skuId),
    productTotalsStatement(ctx, c.productId),
  ];
}

/**
 * Puts a promotion's unsold units (an ended flash sale or group buy) back into the SKU's normal
 * stock exactly once: the promotion's own guarded "returned" statements (`markReturned`) and the
 * ledger entry keyed by `ref` commit in one batch, so a second or concurrent run fails the guard
 * or hits the ledger's unique ref and changes nothing. True when this call applied it.
 */
export async function returnPromotionUnits(
  ctx: Ctx,
  r: { skuId: string; productId: string; units: number; ref: string; note: string; markReturned: D1PreparedStatement[] },
): Promise<boolean> {
  try {
    await ctx.env.DB.batch([
      ...r.markReturned,
      ...(r.units > 0
        ? stockChangeStatements(ctx, {
            skuId: r.skuId,
            productId: r.productId,
            change: { delta: r.units },
            reason: 'adjust',
            note: r.note,
            ref: r.ref,
          })
        : []),
    ]);
  } catch (e) {
    // 'guard': another run recorded the return first; 'unique': the ledger already holds the ref.
    const kind = batchFailure(e);
    if (kind === 'guard' || kind === 'unique') return false;
    throw e;
  }
  // the product page shows normal stock: this isolate at once, others within the cache's bound
  if (r.units > 0) stockChangedHere([r.productId]);
  return true;
}

/** The alert ids whose insert statement (at the given batch index) actually wrote a row. */
export function raisedAlerts(results: D1Result[], alertAt: [index: number, alertId: string][]): string[] {
  return alertAt.filter(([i]) => (results[i]?.meta.changes ?? 0) === 1).map(([, id]) => id);
}

/** Sends the queue message for alerts a batch raised (alert insert results carry changes = 1). */
export async function notifyRaisedAlerts(ctx: Ctx, alertIds: string[]): Promise<void> {
  for (const alertId of alertIds) {
    const [a] = await ctx.db.select().from(inventoryAlerts).where(eq(inventoryAlerts.id, alertId)).limit(1);
    if (!a) continue;
    const event: LowStockEvent = {
      alertId: a.id,
      skuId: a.skuId,
      productId: a.productId,
      merchantId: a.merchantId,
      stock: a.stock,
      threshold: a.threshold,
    };
    try {
      // The alert id is the message id, so a redelivered message is recognisable downstream.
      await emit(ctx, LowStock, event, { id: a.id });
    } catch (e) {
      // The alert row is already committed and listed in admin; a lost notification is not lost stock.
      ctx.log.error('low-stock notification failed to enqueue', { alertId, err: String(e) });
    }
  }
}

type SkuWithOwner = { id: string; productId: string; stock: number; merchantId: string };

async function skuWithOwner(ctx: Ctx, skuId: string): Promise<SkuWithOwner> {
  const [row] = await ctx.db
    .select({ id: skus.id, productId: skus.productId, stock: skus.stock, merchantId: products.merchantId })
    .from(skus)
    .innerJoin(products, eq(products.id, skus.productId))
    .where(eq(skus.id, skuId))
    .limit(1);
  if (!row) throw notFound('catalog.sku_not_found', `SKU ${skuId}`);
  return row;
}

const toEntryDto = (e: typeof stockLedger.$inferSelect) => ({
  id: e.id,
  skuId: e.skuId,
  productId: e.productId,
  delta: e.delta,
  stockAfter: e.stockAfter,
  reason: e.reason,
  note: e.note,
  ref: e.ref,
  actorId: e.actorId,
  createdAt: iso(e.createdAt)!,
});

/**
 * adjustStock: a manual stock change with a reason, recorded in the ledger. With an
 * idempotency key, repeating the request returns the first result and changes nothing.
 */
export async function adjustStock(ctx: Ctx, skuId: string, input: AdjustStockInput, idempotencyKey?: string) {
  const sku = await skuWithOwner(ctx, skuId);
  assertCanWriteMerchant(ctx, sku.merchantId);
  const ref = idempotencyKey ? `adj:${idempotencyKey}` : null;
  if (ref) {
    const replay = await findEntryByRef(ctx, skuId, ref);
    if (replay) return replay;
  }
  const entryId = newId('stl');
  const alertId = newId('alr');
  const change = input.setTo !== undefined ? { setTo: input.setTo } : { delta: input.delta! };
  const stmts = [
    ...stockChangeStatements(ctx, {
      skuId,
      productId: sku.productId,
      change,
      reason: input.setTo !== undefined ? 'stocktake' : input.reason,
      note: input.note,
      ref,
      entryId,
    }),
    ...alertStatements(ctx, skuId, alertId),
  ];
  let results: D1Result[];
  try {
    results = await ctx.env.DB.batch(stmts);
  } catch (e) {
    const kind = batchFailure(e);
    if (kind === 'check')
      throw conflict('catalog.insufficient_stock', `stock would go below zero (current ${sku.stock})`, { stock: sku.stock });
    if (kind === 'unique' && ref) {
      const replay = await findEntryByRef(ctx, skuId, ref);
      if (replay) return replay;
    }
    throw e;
  }
  const alertRaised = (results[3]?.meta.changes ?? 0) === 1;
  if (alertRaised) await notifyRaisedAlerts(ctx, [alertId]);
  // Stock is live data (no version): this isolate shows it at once, others within the cache's bound.
  stockChangedHere([sku.productId]);
  const [entry] = await ctx.db.select().from(stockLedger).where(eq(stockLedger.id, entryId)).limit(1);
  if (!entry) throw new AppError('internal', 500, 'ledger entry missing after stock change');
  return { entry: toEntryDto(entry), stock: entry.stockAfter, replayed: false, alertRaised };
}

async function findEntryByRef(ctx: Ctx, skuId: string, ref: string) {
  const [e] = await ctx.db
    .select()
    .from(stockLedger)
    .where(and(eq(stockLedger.skuId, skuId), eq(stockLedger.ref, ref)))
    .limit(1);
  if (!e) return null;
  const [s] = await ctx.db.select({ stock: skus.stock }).from(skus).where(eq(skus.id, skuId)).limit(1);
  return { entry: toEntryDto(e), stock: s?.stock ?? e.stockAfter, replayed: true, alertRaised: false };
}

/** The SKU's ledger, newest first. */
export async function listStockLedger(ctx: Ctx, skuId: string, q: { limit: number; cursor?: string }) {
  const sku = await skuWithOwner(ctx, skuId);
  assertCanWriteMerchant(ctx, sku.merchantId, 'read');
  const cur = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select()
    .from(stockLedger)
    .where(
      and(
        eq(stockLedger.skuId, skuId),
        cur
          ? or(lt(stockLedger.createdAt, Number(cur.v)), and(eq(stockLedger.createdAt, Number(cur.v)), lt(stockLedger.id, cur.id)))
          : undefined,
      ),
    )
    .orderBy(desc(stockLedger.createdAt), desc(stockLedger.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  return { items: page.items.map(toEntryDto), nextCursor: page.nextCursor };
}

/** Inventory alerts for admin: merchants see only their own. */
export async function listInventoryAlerts(
  ctx: Ctx,
  q: { status?: 'open' | 'resolved'; limit: number; cursor?: string },
): Promise<Page<unknown>> {
  const merchantId = merchantScope(ctx);
  const cur = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select({ a: inventoryAlerts, title: products.title, specKey: skus.specKey, currentStock: skus.stock })
    .from(inventoryAlerts)
    .innerJoin(skus, eq(skus.id, inventoryAlerts.skuId))
    .innerJoin(products, eq(products.id, inventoryAlerts.productId))
    .where(
      and(
        q.status ? eq(inventoryAlerts.status, q.status) : undefined,
        merchantId ? eq(inventoryAlerts.merchantId, merchantId) : undefined,
        cur
          ? or(
              lt(inventoryAlerts.createdAt, Number(cur.v)),
              and(eq(inventoryAlerts.createdAt, Number(cur.v)), lt(inventoryAlerts.id, cur.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(inventoryAlerts.createdAt), desc(inventoryAlerts.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.a.createdAt, id: r.a.id }));
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((r) => ({
      id: r.a.id,
      skuId: r.a.skuId,
      productId: r.a.productId,
      productTitle: r.title,
      specKey: r.specKey,
      merchantId: r.a.merchantId,
      stockAtAlert: r.a.stock,
      currentStock: r.currentStock,
      threshold: r.a.threshold,
      status: r.a.status,
      createdAt: iso(r.a.createdAt)!,
      resolvedAt: iso(r.a.resolvedAt),
    })),
  };
}
