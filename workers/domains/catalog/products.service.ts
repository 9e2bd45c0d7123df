import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { badRequest, conflict, forbidden, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { batchFailure, guard, iso, stmt } from '../../shared/db';
import { sanitizeHtml } from '../../shared/rich-text';
import { roleCan } from '../../shared/rbac';
import { getMerchant } from '../merchants/merchants.service';
import { assertMediaKeys, mediaUrl } from '../media/media.service';
import { products, skus, type SpecDimension } from './schema';
import { categoryPath, getCategoryRow, visibleCategoryCondition } from './categories.service';
import { alertStatements, notifyRaisedAlerts, productTotalsStatement, raisedAlerts, stockChangeStatements } from './stock.service';
import { assertCanWriteMerchant, merchantForNewProduct } from './access';
import { combinations, specKeyOf, validateSkuSpecs } from './sku-grid';
import { catalogChangeStatements } from './cache-versions';
import type { AdminProductDto, CreateProductInput, StoreProductDto, UpdateProductInput } from './dto';
import { assertRequiredFacts, type FactSource } from './required-facts.service';
import {
  assertNotBlocked,
  latestScreening,
  rememberProductText,
  screenProductTexts,
  screeningUpsertStatement,
  type ProductScreening,
  type ProductTexts,
} from './product-screening.service';

export type ProductRow = typeof products.$inferSelect;
export type SkuRow = typeof skus.$inferSelect;
type ProductStatus = ProductRow['status'];

const image = (ctx: Ctx, key: string | null) => (key ? { key, url: mediaUrl(ctx.env, key) } : null);

export async function getProductRow(ctx: Ctx, id: string): Promise<ProductRow> {
  const [row] = await ctx.db
    .select()
    .from(products)
    .where(and(eq(products.id, id), isNull(products.deletedAt)))
    .limit(1);
  if (!row) throw notFound('catalog.product_not_found', `product ${id}`);
  return row;
}

export async function findProductIdByTitle(ctx: Ctx, merchantId: string, title: string): Promise<string | null> {
  const [row] = await ctx.db
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.merchantId, merchantId), eq(products.title, title), isNull(products.deletedAt)))
    .limit(1);
  return row?.id ?? null;
}

/**
 * What must be true before a product can be on sale (the seed's compliance fields included).
 * `facts: false` when a category's configured required facts were already checked instead.
 */
function assertPublishable(
  p: { title: string; material: string; origin: string },
  skuRows: { enabled: boolean; price: number }[],
  facts = true,
) {
  const problems: { path: string; message: string; code: string }[] = [];
  if (facts && !p.material.trim())
    problems.push({ path: 'material', message: '材质 (material) is required to go on sale', code: 'custom' });
  if (facts && !p.origin.trim()) problems.push({ path: 'origin', message: '产地 (origin) is required to go on sale', code: 'custom' });
  if (!skuRows.some((s) => s.enabled && s.price > 0))
    problems.push({ path: 'skus', message: 'at least one enabled SKU with a price is required', code: 'custom' });
  if (problems.length)
    throw badRequest('catalog.not_publishable', `cannot go on sale: ${problems.map((p) => p.message).join('; ')}`, { issues: problems });
}

/** Listing (on sale or submitted for review): the category's required facts, then the SKUs. */
async function assertListable(
  ctx: Ctx,
  categoryId: string,
  p: FactSource & { title: string },
  skuRows: { enabled: boolean; price: number }[],
) {
  const configured = await assertRequiredFacts(ctx, categoryId, p);
  assertPublishable(p, skuRows, !configured);
}

const isMerchantStaff = (ctx: Ctx) => ctx.actor.kind === 'staff' && ctx.actor.role === 'merchant';

/**
 * Screens a save's texts: block-level terms refuse it (for everyone); review-level terms or copied
 * content hold a merchant's listing for an operator. Operators are the reviewers, so their own
 * saves are not held: what they saw is returned as warnings.
 */
async function screenSave(ctx: Ctx, texts: ProductTexts, self: { id?: string; merchantId: string }): Promise<ProductScreening> {
  const s = await screenProductTexts(ctx, texts, self);
  assertNotBlocked(s);
  return isMerchantStaff(ctx) ? s : { ...s, held: false };
}

/** Merchant listings wait for operator review (the seed's spot-check of merchant content). */
function statusAfterPublishRequest(ctx: Ctx, wanted: ProductStatus): ProductStatus {
  if (wanted !== 'on_sale') return wanted;
  return ctx.actor.kind === 'staff' && ctx.actor.role === 'merchant' ? 'pending_review' : 'on_sale';
}

/** Products hang under an existing category (a 404 names it otherwise). */
async function assertCategoryUsable(ctx: Ctx, categoryId: string): Promise<void> {
  await getCategoryRow(ctx, categoryId);
}

/** createProduct: SPU + its SKU grid + initial stock ledger entries, all in one batch. */
export async function createProduct(ctx: Ctx, input: CreateProductInput): Promise<AdminProductDto> {
  const merchantId = merchantForNewProduct(ctx, input.merchantId);
  await getMerchant(ctx, merchantId);
  await assertCategoryUsable(ctx, input.categoryId);
  const dims: SpecDimension[] = input.specDims;
  const skuInputs = input.skus ?? combinations(dims).map((specValues) => ({ ...input.skuDefaults!, specValues }));
  validateSkuSpecs(
    dims,
    skuInputs.map((s) => s.specValues),
  );
  const mediaKeys = [input.mainMediaKey, ...input.mediaKeys, ...skuInputs.map((s) => s.mediaKey)].filter((k): k is string => !!k);
  await assertMediaKeys(ctx, [...new Set(mediaKeys)]);

  const productId = newId('prd');
  const skuRows: SkuRow[] = skuInputs.map((s) => ({
    id: newId('sku'),
    productId,
    specValues: s.specValues,
    specKey: specKeyOf(s.specValues),
    price: s.price,
    originalPrice: Math.max(s.originalPrice ?? s.price, s.price),
    cost: s.cost,
    memberPrice: s.memberPrice ?? null,
    stock: 0, // set through the ledger below, so every unit has a reason
    lowStockThreshold: s.lowStockThreshold,
    barcode: s.barcode ?? null,
    weightG: s.weightG,
    mediaKey: s.mediaKey ?? null,
    enabled: s.enabled,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  }));
  const texts: ProductTexts = {
    title: input.title,
    subtitle: input.subtitle,
    detailHtml: sanitizeHtml(input.detailHtml),
    material: input.material,
    origin: input.origin,
    attributes: input.attributes,
    specDims: dims,
  };
  const screening = await screenSave(ctx, texts, { merchantId });
  let status = statusAfterPublishRequest(ctx, input.status);
  if (status === 'on_sale' && screening.held) status = 'pending_review';
  if (status !== 'draft') await assertListable(ctx, input.categoryId, input, skuRows);

  const row: ProductRow = {
    id: productId,
    merchantId,
    categoryId: input.categoryId,
    title: input.title,
    subtitle: input.subtitle,
    material: input.material,
    origin: input.origin,
    attributes: input.attributes,
    specDims: dims,
    detailHtml: texts.detailHtml,
    mainMediaKey: input.mainMediaKey ?? input.mediaKeys[0] ?? null,
    mediaKeys: input.mediaKeys,
    status,
    minPrice: 0,
    maxPrice: 0,
    totalStock: 0,
    salesCount: 0,
    version: 1,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    publishedAt: status === 'on_sale' ? ctx.now : null,
    offSaleReason: null,
    deletedAt: null,
    seq: null, // assigned by the insert trigger (creation order)
  };
  const d1 = ctx.env.DB;
  const alertAt: [number, string][] = [];
  const stmts: D1PreparedStatement[] = [stmt(d1, ctx.db.insert(products).values(row)), screeningUpsertStatement(ctx, productId, screening)];
  for (const [i, s] of skuRows.entries()) {
    stmts.push(stmt(d1, ctx.db.insert(skus).values(s)));
    const initial = skuInputs[i]!.stock;
    if (initial > 0)
      stmts.push(...stockChangeStatements(ctx, { skuId: s.id, productId, change: { delta: initial }, reason: 'initial' }).slice(0, 2));
  }
  stmts.push(productTotalsStatement(ctx, productId));
  for (const s of skuRows) {
    const alertId = newId('alr');
    alertAt.push([stmts.length, alertId]);
    stmts.push(alertStatements(ctx, s.id, alertId)[0]);
  }
  // A new product on sale joins category pages and search results (a draft bumps too: harmless, as lists live ≤ 1 s anyway).
  const published = catalogChangeStatements(ctx, { productIds: [productId] });
  stmts.push(...published.statements);
  let results: D1Result[];
  try {
    results = await d1.batch(stmts);
  } catch (e) {
    if (batchFailure(e) === 'unique') throw conflict('catalog.duplicate', 'a SKU barcode or spec combination is duplicated');
    throw e;
  }
  published.applied();
  await rememberProductText(ctx, productId, texts);
  await notifyRaisedAlerts(ctx, raisedAlerts(results, alertAt));
  return getAdminProduct(ctx, productId);
}

/** updateProduct: fields, SKU grid and status in one batch, guarded by the product version. */
export async function updateProduct(ctx: Ctx, id: string, input: UpdateProductInput): Promise<AdminProductDto> {
  const cur = await getProductRow(ctx, id);
  assertCanWriteMerchant(ctx, cur.merchantId);
  if (input.expectedVersion !== undefined && input.expectedVersion !== cur.version)
    throw conflict('catalog.version_conflict', `the product was changed by someone else (now version ${cur.version}); reload and retry`, {
      version: cur.version,
    });
  if (input.categoryId) await assertCategoryUsable(ctx, input.categoryId);
  const curSkus = await ctx.db.select().from(skus).where(eq(skus.productId, id));

  const dims = input.specDims ?? cur.specDims;
  if (input.specDims && !input.skus)
    throw badRequest('validation.failed', 'skus: send the SKU grid together with specDims', {
      in: 'json',
      issues: [{ path: 'skus', message: 'required when specDims changes', code: 'custom' }],
    });

  const d1 = ctx.env.DB;
  // Any concurrent save between our read and this batch aborts it, so no edit is silently lost.
  const stmts: D1PreparedStatement[] = [guard(d1, 'SELECT version = ?2 FROM products WHERE id = ?1', id, cur.version)];
  const alertAt: [number, string][] = [];
  let nextSkus = curSkus;

  if (input.skus) {
    validateSkuSpecs(
      dims,
      input.skus.map((s) => s.specValues),
    );
    await assertMediaKeys(
      ctx,
      input.skus.map((s) => s.mediaKey).filter((k): k is string => !!k),
    );
    const byKey = new Map(curSkus.map((s) => [s.specKey, s]));
    const kept = new Set<string>();
    nextSkus = [];
    for (const [i, s] of input.skus.entries()) {
      const key = specKeyOf(s.specValues);
      const existing = byKey.get(key);
      if (s.id && existing?.id !== s.id)
        throw badRequest('catalog.sku_mismatch', `skus.${i}: SKU ${s.id} is not the ${key} combination of this product`);
      if (!existing && s.price === undefined)
        throw badRequest('validation.failed', `skus.${i}.price: a new SKU needs a price`, {
          in: 'json',
          issues: [{ path: `skus.${i}.price`, message: 'required for a new SKU', code: 'custom' }],
        });
      const price = s.price ?? existing!.price;
      const fields = {
        price,
        originalPrice: Math.max(s.originalPrice ?? existing?.originalPrice ?? price, price),
        cost: s.cost ?? existing?.cost ?? 0,
        memberPrice: s.memberPrice !== undefined ? s.memberPrice : (existing?.memberPrice ?? null),
        lowStockThreshold: s.lowStockThreshold ?? existing?.lowStockThreshold ?? 10,
        barcode: s.barcode !== undefined ? s.barcode : (existing?.barcode ?? null),
        weightG: s.weightG ?? existing?.weightG ?? 0,
        mediaKey: s.mediaKey !== undefined ? s.mediaKey : (existing?.mediaKey ?? null),
        enabled: s.enabled ?? true,
        updatedAt: ctx.now,
      };
      if (existing) {
        kept.add(existing.id);
        stmts.push(stmt(d1, ctx.db.update(skus).set(fields).where(eq(skus.id, existing.id))));
        nextSkus.push({ ...existing, ...fields });
      } else {
        const row: SkuRow = {
          id: newId('sku'),
          productId: id,
          specValues: s.specValues,
          specKey: key,
          stock: 0,
          createdAt: ctx.now,
          ...fields,
        };
        stmts.push(stmt(d1, ctx.db.insert(skus).values(row)));
        if (s.initialStock > 0)
          stmts.push(
            ...stockChangeStatements(ctx, { skuId: row.id, productId: id, change: { delta: s.initialStock }, reason: 'initial' }).slice(
              0,
              2,
            ),
          );
        nextSkus.push({ ...row, stock: s.initialStock });
      }
    }
    // SKUs left out of the grid are disabled, not deleted: past orders still point at them.
    for (const s of curSkus)
      if (!kept.has(s.id) && s.enabled) {
        stmts.push(stmt(d1, ctx.db.update(skus).set({ enabled: false, updatedAt: ctx.now }).where(eq(skus.id, s.id))));
        nextSkus.push({ ...s, enabled: false });
      } else if (!kept.has(s.id)) nextSkus.push(s);
  }

  const merged = {
    title: input.title ?? cur.title,
    material: input.material ?? cur.material,
    origin: input.origin ?? cur.origin,
    attributes: input.attributes ?? cur.attributes,
  };
  const texts: ProductTexts = {
    ...merged,
    subtitle: input.subtitle ?? cur.subtitle,
    detailHtml: input.detailHtml !== undefined ? sanitizeHtml(input.detailHtml) : cur.detailHtml,
    specDims: dims,
  };
  let status = cur.status;
  if (input.status && input.status !== cur.status) status = statusAfterPublishRequest(ctx, input.status);
  // A merchant's edit to a live product goes back to review; an operator's does not.
  if (!input.status && cur.status === 'on_sale' && ctx.actor.kind === 'staff' && ctx.actor.role === 'merchant') status = 'pending_review';
  const textChanged = TEXT_FIELDS.some((f) => input[f] !== undefined);
  const listing = status === 'on_sale' || status === 'pending_review';
  // Screened when shown text changes or the product is being listed (the dictionary may have changed since).
  const screening =
    textChanged || (listing && status !== cur.status) ? await screenSave(ctx, texts, { id, merchantId: cur.merchantId }) : null;
  if (status === 'on_sale' && screening?.held) status = 'pending_review';
  if (listing) await assertListable(ctx, input.categoryId ?? cur.categoryId, merged, nextSkus);
  if (screening) stmts.push(screeningUpsertStatement(ctx, id, screening));

  const mediaKeys = [input.mainMediaKey, ...(input.mediaKeys ?? [])].filter((k): k is string => !!k);
  await assertMediaKeys(ctx, mediaKeys);
  stmts.push(
    stmt(
      d1,
      ctx.db
        .update(products)
        .set({
          categoryId: input.categoryId ?? cur.categoryId,
          title: merged.title,
          subtitle: input.subtitle ?? cur.subtitle,
          material: merged.material,
          origin: merged.origin,
          attributes: input.attributes ?? cur.attributes,
          detailHtml: texts.detailHtml,
          mainMediaKey: input.mainMediaKey !== undefined ? input.mainMediaKey : cur.mainMediaKey,
          mediaKeys: input.mediaKeys ?? cur.mediaKeys,
          specDims: dims,
          status,
          publishedAt: status === 'on_sale' && cur.status !== 'on_sale' ? ctx.now : cur.publishedAt,
          offSaleReason: status === 'off_sale' ? cur.offSaleReason : null,
          version: sql`${products.version} + 1`,
          updatedAt: ctx.now,
        })
        .where(eq(products.id, id)),
    ),
  );
  stmts.push(productTotalsStatement(ctx, id));
  for (const s of nextSkus) {
    const alertId = newId('alr');
    alertAt.push([stmts.length, alertId]);
    stmts.push(...alertStatements(ctx, s.id, alertId));
  }
  // products.version moved above (the detail's cache key); the listing token moves with it.
  const changed = catalogChangeStatements(ctx, { productIds: [id] });
  stmts.push(...changed.statements);
  let results: D1Result[];
  try {
    results = await d1.batch(stmts);
  } catch (e) {
    const kind = batchFailure(e);
    if (kind === 'guard') throw conflict('catalog.version_conflict', 'the product was changed by someone else meanwhile; reload and retry');
    if (kind === 'unique') throw conflict('catalog.duplicate', 'a spec combination is duplicated');
    throw e;
  }
  changed.applied();
  if (screening) await rememberProductText(ctx, id, texts);
  await notifyRaisedAlerts(ctx, raisedAlerts(results, alertAt));
  return getAdminProduct(ctx, id);
}

const TEXT_FIELDS = ['title', 'subtitle', 'detailHtml', 'material', 'origin', 'attributes', 'specDims'] as const;

/** An operator approves or rejects a merchant's product waiting for review. */
export async function reviewProduct(
  ctx: Ctx,
  id: string,
  input: { decision: 'approve' | 'reject'; reason?: string },
): Promise<AdminProductDto> {
  if (ctx.actor.kind !== 'staff' || !roleCan(ctx.actor.role, 'catalog.review')) throw forbidden('only operators review products');
  const cur = await getProductRow(ctx, id);
  if (cur.status !== 'pending_review') throw conflict('catalog.not_pending_review', `product is ${cur.status}, not pending review`);
  const status: ProductStatus = input.decision === 'approve' ? 'on_sale' : 'draft';
  const d1 = ctx.env.DB;
  const changed = catalogChangeStatements(ctx, { productIds: [id] });
  // The guard aborts the batch (version tokens included) when someone reviewed it meanwhile.
  const review = ctx.db
    .update(products)
    .set({
      status,
      publishedAt: status === 'on_sale' ? ctx.now : cur.publishedAt,
      version: sql`${products.version} + 1`,
      updatedAt: ctx.now,
    })
    .where(and(eq(products.id, id), eq(products.status, 'pending_review')));
  try {
    await d1.batch([
      guard(d1, "SELECT status = 'pending_review' FROM products WHERE id = ?1", id),
      stmt(d1, review),
      ...changed.statements,
    ]);
  } catch (e) {
    if (batchFailure(e) === 'guard') throw conflict('catalog.not_pending_review', 'the product was reviewed meanwhile');
    throw e;
  }
  changed.applied();
  ctx.log.info('product reviewed', { productId: id, decision: input.decision, reason: input.reason });
  return getAdminProduct(ctx, id);
}

/** Soft delete: orders keep pointing at it; storefront and admin lists stop showing it. */
export async function deleteProduct(ctx: Ctx, id: string): Promise<void> {
  const cur = await getProductRow(ctx, id);
  assertCanWriteMerchant(ctx, cur.merchantId);
  const d1 = ctx.env.DB;
  const changed = catalogChangeStatements(ctx, { productIds: [id] });
  await d1.batch([
    stmt(d1, ctx.db.update(products).set({ deletedAt: ctx.now, status: 'off_sale', updatedAt: ctx.now }).where(eq(products.id, id))),
    ...changed.statements,
  ]);
  changed.applied();
}

async function loadFull(ctx: Ctx, id: string) {
  const row = await getProductRow(ctx, id);
  const skuRows = await ctx.db.select().from(skus).where(eq(skus.productId, id)).orderBy(asc(skus.createdAt), asc(skus.id));
  const dimsOrder = combinations(row.specDims).map(specKeyOf);
  skuRows.sort((a, b) => dimsOrder.indexOf(a.specKey) - dimsOrder.indexOf(b.specKey));
  return { row, skuRows, path: await categoryPath(ctx, row.categoryId) };
}

function baseDto(ctx: Ctx, row: ProductRow, path: { id: string; name: string }[]) {
  return {
    id: row.id,
    merchantId: row.merchantId,
    categoryId: row.categoryId,
    categoryPath: path,
    title: row.title,
    subtitle: row.subtitle,
    material: row.material,
    origin: row.origin,
    attributes: row.attributes,
    specDims: row.specDims,
    detailHtml: row.detailHtml,
    mainImage: image(ctx, row.mainMediaKey),
    images: row.mediaKeys.map((k) => image(ctx, k)!),
    status: row.status,
    minPrice: row.minPrice,
    maxPrice: row.maxPrice,
    totalStock: row.totalStock,
    salesCount: row.salesCount,
    version: row.version,
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
  };
}

const storeSku = (ctx: Ctx, s: SkuRow) => ({
  id: s.id,
  specValues: s.specValues,
  specKey: s.specKey,
  price: s.price,
  originalPrice: s.originalPrice,
  memberPrice: s.memberPrice,
  stock: s.stock,
  inStock: s.stock > 0,
  weightG: s.weightG,
  barcode: s.barcode,
  image: image(ctx, s.mediaKey),
});

/** Admin view: every SKU (disabled too) with cost and thresholds; merchants only their own. */
export async function getAdminProduct(ctx: Ctx, id: string): Promise<AdminProductDto> {
  const { row, skuRows, path } = await loadFull(ctx, id);
  assertCanWriteMerchant(ctx, row.merchantId, 'read');
  return {
    ...baseDto(ctx, row, path),
    skus: skuRows.map((s) => ({ ...storeSku(ctx, s), cost: s.cost, lowStockThreshold: s.lowStockThreshold, enabled: s.enabled })),
    screening: await latestScreening(ctx, id),
    offSaleReason: row.offSaleReason,
  };
}

/** Storefront view of an on-sale product (enabled SKUs only, no cost). */
export async function loadStoreProduct(ctx: Ctx, id: string): Promise<StoreProductDto> {
  const { row, skuRows, path } = await loadFull(ctx, id);
  if (row.status !== 'on_sale') throw notFound('catalog.product_not_found', `product ${id}`);
  // A disabled category hides its products, including those in its sub-categories.
  const [visible] = await ctx.db
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.id, id), visibleCategoryCondition(products.categoryId)))
    .limit(1);
  if (!visible) throw notFound('catalog.product_not_found', `product ${id}`);
  return { ...baseDto(ctx, row, path), skus: skuRows.filter((s) => s.enabled).map((s) => storeSku(ctx, s)) };
}

/** The part of a storefront product that changes without a version: visibility, stock and sales. */
export interface LiveProductState {
  /** On sale, not deleted, no disabled category above it. */
  visible: boolean;
  /** products.version: the cached detail body is keyed by it (0 when the product does not exist). */
  version: number;
  salesCount: number;
  /** Stock per SKU id. */
  stock: Map<string, number>;
}

/**
 * The live part of a storefront product, in one statement: read fresh (within the cache's bound)
 * even when the detail body comes from a cache.
 */
/** Ids per statement of a batched live-state read (one JSON parameter, so no bind-variable limit). */
const LIVE_IDS_PER_STATEMENT = 500;

/**
 * The live state of several products in one D1 round trip (one statement per 500 ids, batched):
 * the storefront cache refreshes every product it served in the last moment together, rather
 * than one query per product. Unknown ids are absent from the map.
 */
export async function liveProductStates(ctx: Pick<Ctx, 'env'>, productIds: string[]): Promise<Map<string, LiveProductState>> {
  const out = new Map<string, LiveProductState>();
  if (productIds.length === 0) return out;
  const stmt = ctx.env.DB.prepare(
    `SELECT p.id, p.version, p.sales_count,
       (p.status = 'on_sale' AND p.deleted_at IS NULL AND NOT EXISTS (
         SELECT 1 FROM categories d JOIN categories c ON c.id = p.category_id WHERE d.enabled = 0 AND c.path >= d.path AND c.path < d.path || '~'
       )) AS visible,
       (SELECT json_group_array(json_array(s.id, s.stock)) FROM skus s WHERE s.product_id = p.id) AS stock
     FROM products p WHERE p.id IN (SELECT value FROM json_each(?1))`,
  );
  const chunks: D1PreparedStatement[] = [];
  for (let i = 0; i < productIds.length; i += LIVE_IDS_PER_STATEMENT)
    chunks.push(stmt.bind(JSON.stringify(productIds.slice(i, i + LIVE_IDS_PER_STATEMENT))));
  type Row = { id: string; version: number; sales_count: number; visible: number; stock: string };
  const results = chunks.length === 1 ? [await chunks[0]!.all<Row>()] : await ctx.env.DB.batch<Row>(chunks);
  for (const { results: rows } of results)
    for (const row of rows)
      out.set(row.id, {
        visible: row.visible === 1,
        version: row.version,
        salesCount: row.sales_count,
        stock: new Map(JSON.parse(row.stock) as [string, number][]),
      });
  return out;
}
