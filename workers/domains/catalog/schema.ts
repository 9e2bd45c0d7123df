import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, uniqueIndex, check, primaryKey } from 'drizzle-orm/sqlite-core';

/** Category tree; `path` is "/root/…/self/" so subtree checks are a prefix match. */
export const categories = sqliteTable(
  'categories',
  {
    id: text('id').primaryKey(),
    parentId: text('parent_id'),
    name: text('name').notNull(),
    level: integer('level').notNull(),
    path: text('path').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    iconMediaKey: text('icon_media_key'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('categories_parent_idx').on(t.parentId, t.sortOrder),
    index('categories_path_idx').on(t.path),
    // Finds the disabled categories (usually none) without reading the tree: listings hide their subtrees.
    index('categories_enabled_path_idx').on(t.enabled, t.path),
  ],
);

export interface SpecDimension {
  name: string;
  values: string[];
}

/** SPU. Listing columns (min/max price, stock) are denormalised from its SKUs by the service. */
export const products = sqliteTable(
  'products',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id').notNull(),
    categoryId: text('category_id').notNull(),
    title: text('title').notNull(),
    subtitle: text('subtitle').notNull().default(''),
    /** Compliance fields the seed requires on every product on sale. */
    material: text('material').notNull().default(''),
    origin: text('origin').notNull().default(''),
    /** Other attributes, name → value (品牌, 容量, …). */
    attributes: text('attributes', { mode: 'json' })
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'`),
    specDims: text('spec_dims', { mode: 'json' })
      .$type<SpecDimension[]>()
      .notNull()
      .default(sql`'[]'`),
    /** Sanitised rich text. */
    detailHtml: text('detail_html').notNull().default(''),
    mainMediaKey: text('main_media_key'),
    mediaKeys: text('media_keys', { mode: 'json' })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    status: text('status', { enum: ['draft', 'pending_review', 'on_sale', 'off_sale'] })
      .notNull()
      .default('draft'),
    minPrice: integer('min_price').notNull().default(0),
    maxPrice: integer('max_price').notNull().default(0),
    totalStock: integer('total_stock').notNull().default(0),
    salesCount: integer('sales_count').notNull().default(0),
    /** Bumped on every write; clients send it back to avoid lost updates. */
    version: integer('version').notNull().default(1),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    publishedAt: integer('published_at'),
    /** Why the platform took it off sale (an overdue 整改通知), shown to its merchant; cleared when it is listed again. */
    offSaleReason: text('off_sale_reason'),
    deletedAt: integer('deleted_at'),
    /**
     * The product's place in creation order (1, 2, 3, …), assigned by a trigger on insert and never
     * changed: the search index's row id, so a keyword search walks its matches newest first and
     * stops after one page instead of sorting every match.
     */
    seq: integer('seq'),
  },
  (t) => [
    index('products_category_idx').on(t.categoryId, t.status),
    index('products_status_created_idx').on(t.status, t.createdAt),
    index('products_status_price_idx').on(t.status, t.minPrice),
    index('products_status_sales_idx').on(t.status, t.salesCount),
    // The console's lists walk these newest first: everything, one merchant's, one merchant's in a status.
    index('products_created_idx').on(t.createdAt, t.id),
    index('products_merchant_created_idx').on(t.merchantId, t.createdAt, t.id),
    index('products_merchant_status_created_idx').on(t.merchantId, t.status, t.createdAt, t.id),
    uniqueIndex('products_seq_uq').on(t.seq),
  ],
);

/**
 * The category listing: one row per product (not deleted) and category on its path — its own
 * category and every ancestor — with the product's sort keys, so a category page "with its
 * sub-categories" is one ordered walk of an index that stops after a page, however large the
 * category. Kept in step by triggers on products and categories (see the migration that creates
 * it), so no write path can forget it; services only read it.
 */
export const categoryProducts = sqliteTable(
  'category_products',
  {
    categoryId: text('category_id').notNull(),
    productId: text('product_id').notNull(),
    status: text('status', { enum: ['draft', 'pending_review', 'on_sale', 'off_sale'] }).notNull(),
    createdAt: integer('created_at').notNull(),
    salesCount: integer('sales_count').notNull(),
    minPrice: integer('min_price').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.categoryId] }),
    // One per storefront sort (status = on_sale) and the console's newest-first (any status).
    index('category_products_status_created_idx').on(t.categoryId, t.status, t.createdAt, t.productId),
    index('category_products_status_sales_idx').on(t.categoryId, t.status, t.salesCount, t.productId),
    index('category_products_status_price_idx').on(t.categoryId, t.status, t.minPrice, t.productId),
    index('category_products_created_idx').on(t.categoryId, t.createdAt, t.productId),
  ],
);

/** SKU: one combination of spec values. `stock` can never go negative (CHECK). */
export const skus = sqliteTable(
  'skus',
  {
    id: text('id').primaryKey(),
    productId: text('product_id').notNull(),
    /** Spec values in the product's dimension order, e.g. ["红色","500ml"]. */
    specValues: text('spec_values', { mode: 'json' }).$type<string[]>().notNull(),
    /** specValues joined by "/" — unique per product. */
    specKey: text('spec_key').notNull(),
    price: integer('price').notNull(),
    originalPrice: integer('original_price').notNull(),
    cost: integer('cost').notNull().default(0),
    /** Optional member price; the member-tier hook decides who gets it. */
    memberPrice: integer('member_price'),
    stock: integer('stock').notNull().default(0),
    lowStockThreshold: integer('low_stock_threshold').notNull().default(10),
    barcode: text('barcode'),
    weightG: integer('weight_g').notNull().default(0),
    mediaKey: text('media_key'),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('skus_product_spec_uq').on(t.productId, t.specKey),
    index('skus_barcode_idx').on(t.barcode),
    check('skus_stock_nonneg', sql`${t.stock} >= 0`),
    check('skus_price_nonneg', sql`${t.price} >= 0 AND ${t.originalPrice} >= 0 AND ${t.cost} >= 0`),
  ],
);

/** Append-only: every stock change, with its reason. `ref` makes an adjustment idempotent. */
export const stockLedger = sqliteTable(
  'stock_ledger',
  {
    id: text('id').primaryKey(),
    skuId: text('sku_id').notNull(),
    productId: text('product_id').notNull(),
    delta: integer('delta').notNull(),
    stockAfter: integer('stock_after').notNull(),
    reason: text('reason', {
      enum: ['initial', 'restock', 'adjust', 'damage', 'return', 'sale', 'release', 'import', 'stocktake'],
    }).notNull(),
    note: text('note').notNull().default(''),
    ref: text('ref'),
    actorId: text('actor_id'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('stock_ledger_sku_idx').on(t.skuId, t.createdAt), uniqueIndex('stock_ledger_ref_uq').on(t.skuId, t.ref)],
);

/** One open alert per SKU at most (partial unique index): crossing the threshold alerts once. */
export const inventoryAlerts = sqliteTable(
  'inventory_alerts',
  {
    id: text('id').primaryKey(),
    skuId: text('sku_id').notNull(),
    productId: text('product_id').notNull(),
    merchantId: text('merchant_id').notNull(),
    stock: integer('stock').notNull(),
    threshold: integer('threshold').notNull(),
    status: text('status', { enum: ['open', 'resolved'] })
      .notNull()
      .default('open'),
    createdAt: integer('created_at').notNull(),
    resolvedAt: integer('resolved_at'),
  },
  (t) => [
    uniqueIndex('inventory_alerts_open_uq')
      .on(t.skuId)
      .where(sql`status = 'open'`),
    index('inventory_alerts_merchant_idx').on(t.merchantId, t.status, t.createdAt),
  ],
);

/** A price change that takes effect at `effectiveAt` (applied by the cron trigger). */
export const priceSchedules = sqliteTable(
  'price_schedules',
  {
    id: text('id').primaryKey(),
    skuId: text('sku_id').notNull(),
    productId: text('product_id').notNull(),
    price: integer('price').notNull(),
    originalPrice: integer('original_price'),
    effectiveAt: integer('effective_at').notNull(),
    status: text('status', { enum: ['pending', 'applied', 'cancelled'] })
      .notNull()
      .default('pending'),
    createdBy: text('created_by'),
    createdAt: integer('created_at').notNull(),
    appliedAt: integer('applied_at'),
  },
  (t) => [index('price_schedules_due_idx').on(t.status, t.effectiveAt), index('price_schedules_sku_idx').on(t.skuId)],
);

/**
 * Version tokens of the storefront's cached catalog reads (store-cache.ts). A write that changes
 * what shoppers see sets a fresh random token in the same batch as the change; readers key their
 * caches by the tokens and re-read this table at most about once a second per isolate.
 * `listing`: any product or category change (category pages, filters, search).
 * `taxonomy`: any category change (the category tree, breadcrumbs and visibility in product detail).
 * A product's own detail is keyed by `products.version` instead, so editing one product does not
 * drop every other product's cached detail. The migration seeds both rows with random tokens, so
 * a fresh database never shares a token with another one an isolate has seen.
 */
export const catalogVersions = sqliteTable('catalog_versions', {
  scope: text('scope', { enum: ['listing', 'taxonomy'] }).primaryKey(),
  token: text('token').notNull(),
  changedAt: integer('changed_at').notNull(),
});

/**
 * A category's required facts (必填信息: 材质, 产地, 保质期 …) — attribute names a product must
 * fill before it is listed. Child categories inherit the nearest configured ancestor's list;
 * where no category on the path is configured, the platform rule (材质 and 产地) applies.
 */
export const categorySettings = sqliteTable('category_settings', {
  categoryId: text('category_id').primaryKey(),
  requiredFacts: text('required_facts', { mode: 'json' }).$type<string[]>().notNull(),
  updatedBy: text('updated_by'),
  updatedAt: integer('updated_at').notNull(),
});

export const SCREENING_VERDICTS = ['pass', 'warn', 'review', 'block'] as const;

/** One match of the screening dictionary inside a product field (positions are UTF-16 offsets into that field). */
export interface ProductScreeningMatch {
  field: string;
  term: string;
  category: string;
  severity: 'warn' | 'review' | 'block';
  start: number;
  end: number;
  found: string;
  hint: string | null;
}

/** Another product whose text is nearly the same (simhash distance in bits). */
export interface ProductDuplicate {
  productId: string;
  merchantId: string;
  title: string;
  distance: number;
}

/**
 * The latest compliance screening of a product (合规筛查), written in the same batch as the save
 * it judged, so the operator reviewing a held product sees why it was held.
 */
export const productScreenings = sqliteTable('product_screenings', {
  productId: text('product_id').primaryKey(),
  verdict: text('verdict', { enum: SCREENING_VERDICTS }).notNull(),
  /** True when the save was held for an operator (review-level terms or copied content). */
  held: integer('held', { mode: 'boolean' }).notNull(),
  matches: text('matches', { mode: 'json' }).$type<ProductScreeningMatch[]>().notNull(),
  duplicates: text('duplicates', { mode: 'json' }).$type<ProductDuplicate[]>().notNull(),
  dictionaryVersion: integer('dictionary_version').notNull(),
  screenedAt: integer('screened_at').notNull(),
});
