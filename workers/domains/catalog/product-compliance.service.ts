import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { stmt } from '../../shared/db';
import { badRequest } from '../../shared/errors';
import { products } from './schema';
import { getProductRow } from './products.service';
import { missingFacts, requiredFactsOf } from './required-facts.service';
import { screenProductTexts, type ProductScreening } from './product-screening.service';
import { catalogChangeStatements } from './cache-versions';

export interface ProductComplianceCheck {
  productId: string;
  merchantId: string;
  title: string;
  status: string;
  screening: ProductScreening;
  missingFacts: string[];
  /** No review- or block-level term, no copied content, every required fact filled. */
  passes: boolean;
}

/**
 * The automatic part of a spot check (抽查): the product's texts screened as a save would be, and
 * its category's required facts (the platform's 材质 + 产地 where nothing is configured).
 */
export async function checkProductCompliance(ctx: Ctx, productId: string): Promise<ProductComplianceCheck> {
  const p = await getProductRow(ctx, productId);
  const screening = await screenProductTexts(ctx, p, { id: p.id, merchantId: p.merchantId });
  const required = await requiredFactsOf(ctx, p.categoryId);
  const missing = missingFacts(required.effective, p).map((m) => m.fact);
  const passes =
    (screening.verdict === 'pass' || screening.verdict === 'warn') && screening.duplicates.length === 0 && missing.length === 0;
  return { productId, merchantId: p.merchantId, title: p.title, status: p.status, screening, missingFacts: missing, passes };
}

/** Up to `n` of a merchant's on-sale products, at random (SQLite's random(): a merchant's catalogue, not the whole table). */
export async function sampleOnSaleProductIds(ctx: Ctx, merchantId: string, n: number): Promise<string[]> {
  const rows = await ctx.db
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.merchantId, merchantId), eq(products.status, 'on_sale'), isNull(products.deletedAt)))
    .orderBy(sql`random()`)
    .limit(n);
  return rows.map((r) => r.id);
}

/** Checks that every id is a (not deleted) product of the merchant. @throws 400 catalog.not_merchant_products */
export async function assertMerchantProducts(ctx: Ctx, merchantId: string, ids: string[]): Promise<void> {
  const rows = await ctx.db
    .select({ id: products.id })
    .from(products)
    .where(and(inArray(products.id, ids), eq(products.merchantId, merchantId), isNull(products.deletedAt)));
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length)
    throw badRequest('catalog.not_merchant_products', `not products of merchant ${merchantId}: ${missing.join(', ')}`, { missing });
}

/**
 * Statements that take a listed product off sale with the reason its merchant sees, for the
 * caller's batch (the caller's guard decides that it happens once). A draft stays a draft.
 */
export function takeOffSaleStatements(
  ctx: Ctx,
  productId: string,
  reason: string,
): { statements: D1PreparedStatement[]; applied: () => void } {
  const changed = catalogChangeStatements(ctx, { productIds: [productId] });
  const update = ctx.db
    .update(products)
    .set({ status: 'off_sale', offSaleReason: reason, version: sql`${products.version} + 1`, updatedAt: ctx.now })
    .where(and(eq(products.id, productId), inArray(products.status, ['on_sale', 'pending_review'])));
  return { statements: [stmt(ctx.env.DB, update), ...changed.statements], applied: changed.applied };
}
