import { and, asc, desc, eq, gt, gte, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { iso } from '../../shared/db';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import { mediaUrl } from '../media/media.service';
import { products } from './schema';
import { categoryAndDescendantIds } from './categories.service';
import { merchantScope } from './access';
import type { AdminListProductsQuery, ListProductsQuery, ProductSummaryDto } from './dto';

/**
 * Keyword filter over the trigram FTS table. Words of 3+ characters use MATCH (indexed);
 * shorter Chinese words (水杯, 毛巾) cannot, so they fall back to LIKE over the same table.
 */
function keywordCondition(q: string): SQL {
  const words = q.split(/\s+/).filter(Boolean).slice(0, 5);
  const conds = words.map((w) => {
    if ([...w].length >= 3) {
      const phrase = `"${w.replace(/"/g, '""')}"`;
      return sql`${products.id} IN (SELECT product_id FROM products_fts WHERE products_fts MATCH ${phrase})`;
    }
    const pattern = `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return sql`${products.id} IN (SELECT product_id FROM products_fts WHERE title LIKE ${pattern} ESCAPE '\\' OR subtitle LIKE ${pattern} ESCAPE '\\' OR attrs LIKE ${pattern} ESCAPE '\\')`;
  });
  return and(...conds)!;
}

type Row = typeof products.$inferSelect;
const SORTS = {
  newest: { col: products.createdAt, dir: 'desc', value: (r: Row) => r.createdAt },
  sales: { col: products.salesCount, dir: 'desc', value: (r: Row) => r.salesCount },
  price_asc: { col: products.minPrice, dir: 'asc', value: (r: Row) => r.minPrice },
  price_desc: { col: products.minPrice, dir: 'desc', value: (r: Row) => r.minPrice },
} as const;

function keyset(sort: keyof typeof SORTS, cursor: { v: unknown; id: string } | null): SQL | undefined {
  if (!cursor) return undefined;
  const { col, dir } = SORTS[sort];
  const v = Number(cursor.v);
  return dir === 'desc'
    ? or(lt(col, v), and(eq(col, v), lt(products.id, cursor.id)))
    : or(gt(col, v), and(eq(col, v), gt(products.id, cursor.id)));
}

function toSummary(ctx: Ctx, r: Row): ProductSummaryDto {
  return {
    id: r.id,
    merchantId: r.merchantId,
    categoryId: r.categoryId,
    title: r.title,
    subtitle: r.subtitle,
    mainImage: r.mainMediaKey ? { key: r.mainMediaKey, url: mediaUrl(ctx.env, r.mainMediaKey) } : null,
    minPrice: r.minPrice,
    maxPrice: r.maxPrice,
    totalStock: r.totalStock,
    inStock: r.totalStock > 0,
    salesCount: r.salesCount,
    status: r.status,
    createdAt: iso(r.createdAt)!,
  };
}

async function runList(ctx: Ctx, q: ListProductsQuery, extra: (SQL | undefined)[]): Promise<Page<ProductSummaryDto>> {
  const conds: (SQL | undefined)[] = [isNull(products.deletedAt), ...extra];
  if (q.q) conds.push(keywordCondition(q.q));
  if (q.minPrice !== undefined) conds.push(gte(products.minPrice, q.minPrice));
  if (q.maxPrice !== undefined) conds.push(lte(products.minPrice, q.maxPrice));
  if (q.inStock === true) conds.push(gt(products.totalStock, 0));
  if (q.inStock === false) conds.push(eq(products.totalStock, 0));
  conds.push(keyset(q.sort, decodeCursor(q.cursor)));
  const { col, dir } = SORTS[q.sort];
  const order: SQL[] = dir === 'desc' ? [desc(col), desc(products.id)] : [asc(col), asc(products.id)];
  const rows = await ctx.db
    .select()
    .from(products)
    .where(and(...conds))
    .orderBy(...order)
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: SORTS[q.sort].value(r), id: r.id }));
  return { items: page.items.map((r) => toSummary(ctx, r)), nextCursor: page.nextCursor };
}

/** listProducts for shoppers: on-sale products in enabled categories, filtered, sorted, searched. */
export async function listStoreProducts(ctx: Ctx, q: ListProductsQuery): Promise<Page<ProductSummaryDto>> {
  const extra: (SQL | undefined)[] = [eq(products.status, 'on_sale')];
  if (q.categoryId) {
    const ids = await categoryAndDescendantIds(ctx, q.categoryId, { enabledOnly: true });
    if (ids.length === 0) return { items: [], nextCursor: null };
    extra.push(sql`${products.categoryId} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);
  }
  // Products under a disabled category (at any level above) are hidden.
  extra.push(
    sql`${products.categoryId} NOT IN (SELECT c.id FROM categories c JOIN categories d ON d.enabled = 0 AND substr(c.path, 1, length(d.path)) = d.path)`,
  );
  return runList(ctx, q, extra);
}

/** Admin product list: any status, merchant-scoped for merchant staff. */
export async function listAdminProducts(ctx: Ctx, q: AdminListProductsQuery): Promise<Page<ProductSummaryDto>> {
  const scope = merchantScope(ctx);
  const extra: (SQL | undefined)[] = [];
  if (scope) extra.push(eq(products.merchantId, scope));
  else if (q.merchantId) extra.push(eq(products.merchantId, q.merchantId));
  if (q.status) extra.push(eq(products.status, q.status));
  if (q.categoryId) {
    const ids = await categoryAndDescendantIds(ctx, q.categoryId, { enabledOnly: false });
    extra.push(sql`${products.categoryId} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);
  }
  if (q.lowStock)
    extra.push(
      sql`EXISTS (SELECT 1 FROM skus s WHERE s.product_id = ${products.id} AND s.enabled = 1 AND s.stock <= s.low_stock_threshold)`,
    );
  return runList(ctx, q, extra);
}
