import { and, asc, desc, eq, gt, gte, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { integer, sqliteTable, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Ctx } from '../../shared/context';
import { iso } from '../../shared/db';
import { decodeCursor, toPage, type Cursor, type Page } from '../../shared/pagination';
import { mediaUrl } from '../media/media.service';
import { categoryProducts, products, skus } from './schema';
import { getCategoryRow, visibleCategoryCondition } from './categories.service';
import { merchantScope } from './access';
import type { AdminListProductsQuery, ListProductsQuery, ProductSummaryDto } from './dto';

/**
 * The product search index of migration 0013: FTS5 over character bigrams, its row id the
 * product's `seq`. Described here for the query builder only (drizzle-kit reads schema.ts files,
 * and cannot create a virtual table anyway).
 */
const productsFts = sqliteTable('products_fts', { rowid: integer('rowid').notNull() });

/** Words per query; more are ignored (each one narrows, so five already say plenty). */
const MAX_WORDS = 5;

/**
 * A keyword query as an FTS5 expression over the bigram index: every word must occur (AND).
 * A word of n ≥ 2 characters is the phrase of its n − 1 overlapping pairs, which matches exactly
 * where the word occurs as a substring (保温杯 → "保温 温杯"); a single character is a prefix query
 * (every occurrence of a character starts a pair, or ends its field as a one-character token).
 * Words with no letter or digit (punctuation, emoji) index nothing and are dropped; null when no
 * word is left, which matches nothing.
 */
export function searchExpression(q: string): string | null {
  const words = q
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .slice(0, MAX_WORDS);
  if (words.length === 0) return null;
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return words
    .map((w) => {
      const chars = [...w];
      if (chars.length === 1) return `${quote(w)}*`;
      return quote(
        chars
          .slice(1)
          .map((c, i) => chars[i] + c)
          .join(' '),
      );
    })
    .join(' AND ');
}

type Row = typeof products.$inferSelect;
type Sort = ListProductsQuery['sort'];
type Dir = 'asc' | 'desc';

/**
 * Where a list is read from, so that it is one ordered index walk that stops after a page:
 * - `products`: no category, no keyword — the products indexes per status/sort (and the console's
 *   created_at/merchant ones);
 * - `category`: the category listing (category_products), which holds every product under the
 *   category, sub-categories included, with the sort keys;
 * - `search`: the search index; newest first it walks the matches in seq order and stops after
 *   a page, other sorts read every match (a search has to look at them all to sort by price).
 */
type Source = { kind: 'products' } | { kind: 'category'; categoryId: string } | { kind: 'search'; match: string };

interface SortKey {
  col: SQLiteColumn;
  id: SQLiteColumn;
  dir: Dir;
  value: (r: Row) => number;
}

function sortKey(source: Source, sort: Sort): SortKey {
  if (source.kind === 'search' && sort === 'newest')
    // seq follows creation order; it is unique, so it is its own tie-breaker.
    return { col: productsFts.rowid, id: productsFts.rowid, dir: 'desc', value: (r) => r.seq ?? 0 };
  const t = source.kind === 'category' ? categoryProducts : products;
  const id = source.kind === 'category' ? categoryProducts.productId : products.id;
  switch (sort) {
    case 'newest':
      return { col: t.createdAt, id, dir: 'desc', value: (r) => r.createdAt };
    case 'sales':
      return { col: t.salesCount, id, dir: 'desc', value: (r) => r.salesCount };
    case 'price_asc':
      return { col: t.minPrice, id, dir: 'asc', value: (r) => r.minPrice };
    case 'price_desc':
      return { col: t.minPrice, id, dir: 'desc', value: (r) => r.minPrice };
  }
}

/** Rows after the cursor's position, as a row-value comparison the index can seek to. */
function after(key: SortKey, cursor: Cursor | null): SQL | undefined {
  if (!cursor) return undefined;
  const v = Number(cursor.v);
  if (key.col === key.id) return key.dir === 'desc' ? sql`${key.col} < ${v}` : sql`${key.col} > ${v}`;
  return key.dir === 'desc' ? sql`(${key.col}, ${key.id}) < (${v}, ${cursor.id})` : sql`(${key.col}, ${key.id}) > (${v}, ${cursor.id})`;
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

interface ListSpec {
  source: Source;
  /** products.status to keep (the storefront: on_sale); undefined = any. */
  status?: Row['status'];
  /** Conditions on the product row. */
  where: (SQL | undefined)[];
}

async function runList(ctx: Ctx, q: ListProductsQuery, spec: ListSpec): Promise<Page<ProductSummaryDto>> {
  const { source } = spec;
  const key = sortKey(source, q.sort);
  // Filters on listing columns go to the listing row, so an index walk can seek on them.
  const statusCol = source.kind === 'category' ? categoryProducts.status : products.status;
  const priceCol = source.kind === 'category' ? categoryProducts.minPrice : products.minPrice;
  const conds: (SQL | undefined)[] = [
    isNull(products.deletedAt),
    spec.status ? eq(statusCol, spec.status) : undefined,
    ...spec.where,
    q.minPrice !== undefined ? gte(priceCol, q.minPrice) : undefined,
    q.maxPrice !== undefined ? lte(priceCol, q.maxPrice) : undefined,
    q.inStock === true ? gt(products.totalStock, 0) : undefined,
    q.inStock === false ? eq(products.totalStock, 0) : undefined,
    after(key, decodeCursor(q.cursor)),
  ];
  const order =
    key.col === key.id
      ? [key.dir === 'desc' ? desc(key.col) : asc(key.col)]
      : key.dir === 'desc'
        ? [desc(key.col), desc(key.id)]
        : [asc(key.col), asc(key.id)];
  let rows: Row[];
  // CROSS JOIN keeps the listing (or the search index) as the outer loop: SQLite never reorders
  // it, so the walk is the one the indexes were made for, not a walk over all products.
  if (source.kind === 'products') {
    rows = await ctx.db
      .select()
      .from(products)
      .where(and(...conds))
      .orderBy(...order)
      .limit(q.limit + 1);
  } else if (source.kind === 'category') {
    const joined = await ctx.db
      .select({ p: products })
      .from(categoryProducts)
      .crossJoin(products)
      .where(and(eq(categoryProducts.categoryId, source.categoryId), eq(products.id, categoryProducts.productId), ...conds))
      .orderBy(...order)
      .limit(q.limit + 1);
    rows = joined.map((r) => r.p);
  } else {
    const joined = await ctx.db
      .select({ p: products })
      .from(productsFts)
      .crossJoin(products)
      .where(and(sql`${productsFts} MATCH ${source.match}`, eq(products.seq, productsFts.rowid), ...conds))
      .orderBy(...order)
      .limit(q.limit + 1);
    rows = joined.map((r) => r.p);
  }
  const page = toPage(rows, q.limit, (r) => ({ v: key.value(r), id: r.id }));
  return { items: page.items.map((r) => toSummary(ctx, r)), nextCursor: page.nextCursor };
}

/**
 * The source for a list and the condition a keyword search adds when a category is chosen too
 * (the search drives; the category is a lookup of the listing's primary key per match).
 * Null when the keyword query can match nothing.
 */
function sourceOf(q: ListProductsQuery): { source: Source; inCategory?: SQL } | null {
  if (q.q) {
    const match = searchExpression(q.q);
    if (!match) return null;
    const inCategory = q.categoryId
      ? sql`EXISTS (SELECT 1 FROM ${categoryProducts} WHERE ${categoryProducts.productId} = ${products.id} AND ${categoryProducts.categoryId} = ${q.categoryId})`
      : undefined;
    return { source: { kind: 'search', match }, inCategory };
  }
  if (q.categoryId) return { source: { kind: 'category', categoryId: q.categoryId } };
  return { source: { kind: 'products' } };
}

const empty: Page<ProductSummaryDto> = { items: [], nextCursor: null };

/** listProducts for shoppers: on-sale products in enabled categories, filtered, sorted, searched. */
export async function listStoreProducts(ctx: Ctx, q: ListProductsQuery): Promise<Page<ProductSummaryDto>> {
  if (q.categoryId) {
    // Unknown is 404; a disabled category shows nothing (its ancestors are checked per product below).
    const category = await getCategoryRow(ctx, q.categoryId);
    if (!category.enabled) return empty;
  }
  const chosen = sourceOf(q);
  if (!chosen) return empty;
  return runList(ctx, q, {
    source: chosen.source,
    status: 'on_sale',
    // Products under a disabled category (at any level above) are hidden.
    where: [chosen.inCategory, visibleCategoryCondition(products.categoryId)],
  });
}

/** Admin product list: any status, merchant-scoped for merchant staff. */
export async function listAdminProducts(ctx: Ctx, q: AdminListProductsQuery): Promise<Page<ProductSummaryDto>> {
  if (q.categoryId) await getCategoryRow(ctx, q.categoryId);
  const chosen = sourceOf(q);
  if (!chosen) return empty;
  const merchantId = merchantScope(ctx) ?? q.merchantId;
  const where: (SQL | undefined)[] = [chosen.inCategory, merchantId ? eq(products.merchantId, merchantId) : undefined];
  if (q.lowStock)
    where.push(
      sql`EXISTS (SELECT 1 FROM ${skus} WHERE ${skus.productId} = ${products.id} AND ${skus.enabled} = 1 AND ${skus.stock} <= ${skus.lowStockThreshold})`,
    );
  return runList(ctx, q, { source: chosen.source, status: q.status, where });
}
