import { z } from '@hono/zod-openapi';
import { fen } from '../../shared/money';
import { pageQuery } from '../../shared/pagination';

const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9a-z_]{4,32}$`), `must be a ${prefix}_ id`);
const mediaKey = z.string().min(1).max(200).openapi({ description: 'a key returned by uploadMedia' });
const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });

// ---------- categories ----------

export const CreateCategoryInput = z
  .object({
    name: z.string().trim().min(1).max(30),
    parentId: id('cat').nullable().optional().openapi({ description: 'omit or null for a top-level category' }),
    sortOrder: z.number().int().min(0).max(100000).default(0),
    enabled: z.boolean().default(true),
    iconMediaKey: mediaKey.nullable().optional(),
  })
  .openapi('CreateCategoryInput');

export const UpdateCategoryInput = z
  .object({
    name: z.string().trim().min(1).max(30).optional(),
    parentId: id('cat')
      .nullable()
      .optional()
      .openapi({ description: 'move under another category (null = top level); cycles are refused' }),
    sortOrder: z.number().int().min(0).max(100000).optional(),
    enabled: z.boolean().optional(),
    iconMediaKey: mediaKey.nullable().optional(),
  })
  .openapi('UpdateCategoryInput');

export const CategorySchema = z
  .object({
    id: z.string(),
    parentId: z.string().nullable(),
    name: z.string(),
    level: z.number().int(),
    sortOrder: z.number().int(),
    enabled: z.boolean(),
    iconUrl: z.string().nullable(),
    productCount: z.number().int().optional(),
  })
  .openapi('Category');

export type CategoryDto = z.infer<typeof CategorySchema>;
export type CategoryNodeDto = CategoryDto & { children: CategoryNodeDto[] };

export const CategoryNodeSchema: z.ZodType<CategoryNodeDto> = CategorySchema.extend({
  children: z.array(z.lazy(() => CategoryNodeSchema)),
}).openapi('CategoryNode');

// ---------- products & SKUs ----------

export const SpecDimInput = z.object({
  name: z.string().trim().min(1).max(20).openapi({ example: '颜色' }),
  values: z
    .array(z.string().trim().min(1).max(30))
    .min(1)
    .max(30)
    .refine((v) => new Set(v).size === v.length, 'spec values must be unique')
    .openapi({ example: ['红色', '蓝色'] }),
});

const skuFields = {
  price: fen(),
  originalPrice: fen().optional().openapi({ description: 'strike-through price; defaults to price' }),
  cost: fen().default(0),
  memberPrice: fen().nullable().optional(),
  lowStockThreshold: z.number().int().min(0).max(1_000_000).default(10),
  barcode: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z-]{4,32}$/, 'barcode: 4–32 letters, digits or dashes')
    .nullable()
    .optional(),
  weightG: z.number().int().min(0).max(1_000_000).default(0),
  mediaKey: mediaKey.nullable().optional(),
  enabled: z.boolean().default(true),
};

export const SkuInput = z.object({
  specValues: z
    .array(z.string().trim().min(1).max(30))
    .max(3)
    .default([])
    .openapi({ description: 'one value per spec dimension, in order' }),
  stock: z.number().int().min(0).max(10_000_000).default(0),
  ...skuFields,
});

const productFields = {
  categoryId: id('cat'),
  title: z.string().trim().min(2).max(80),
  subtitle: z.string().trim().max(120).default(''),
  material: z.string().trim().max(60).default('').openapi({ description: '材质 — required before going on sale' }),
  origin: z.string().trim().max(60).default('').openapi({ description: '产地 — required before going on sale' }),
  attributes: z
    .record(z.string().trim().min(1).max(20), z.string().trim().max(100))
    .refine((r) => Object.keys(r).length <= 30, 'at most 30 attributes')
    .default({}),
  detailHtml: z.string().max(100_000).default('').openapi({ description: 'rich text; scripts and event handlers are stripped' }),
  mainMediaKey: mediaKey.nullable().optional(),
  mediaKeys: z.array(mediaKey).max(20).default([]),
};

const specDimList = z
  .array(SpecDimInput)
  .max(3)
  .refine((d) => new Set(d.map((x) => x.name)).size === d.length, 'spec dimension names must be unique');
const specDims = specDimList.default([]);

export const CreateProductInput = z
  .object({
    ...productFields,
    specDims,
    skus: z.array(SkuInput).min(1).max(300).optional().openapi({ description: 'omit to generate every spec combination from skuDefaults' }),
    skuDefaults: SkuInput.omit({ specValues: true }).optional(),
    status: z.enum(['draft', 'on_sale']).default('draft'),
    merchantId: id('mch').optional().openapi({ description: 'platform staff only; merchant staff always create for their own merchant' }),
  })
  .refine((v) => v.skus || v.skuDefaults, { message: 'give skus, or skuDefaults to generate them from specDims', path: ['skus'] })
  .openapi('CreateProductInput');

/** In an update, omitted SKU fields keep their current values (new SKUs need a price). */
export const UpdateSkuInput = z.object({
  id: id('sku').optional().openapi({ description: 'existing SKU; omit to add a new spec combination' }),
  specValues: z.array(z.string().trim().min(1).max(30)).max(3).default([]),
  initialStock: z
    .number()
    .int()
    .min(0)
    .max(10_000_000)
    .default(0)
    .openapi({ description: 'only for new SKUs; change existing stock with adjustStock' }),
  price: skuFields.price.optional(),
  originalPrice: fen().optional(),
  cost: fen().optional(),
  memberPrice: fen().nullable().optional(),
  lowStockThreshold: z.number().int().min(0).max(1_000_000).optional(),
  barcode: skuFields.barcode,
  weightG: z.number().int().min(0).max(1_000_000).optional(),
  mediaKey: mediaKey.nullable().optional(),
  enabled: z.boolean().optional(),
});

export const UpdateProductInput = z
  .object({
    categoryId: productFields.categoryId.optional(),
    title: productFields.title.optional(),
    subtitle: z.string().trim().max(120).optional(),
    material: z.string().trim().max(60).optional(),
    origin: z.string().trim().max(60).optional(),
    attributes: z
      .record(z.string().trim().min(1).max(20), z.string().trim().max(100))
      .refine((r) => Object.keys(r).length <= 30, 'at most 30 attributes')
      .optional(),
    detailHtml: z.string().max(100_000).optional(),
    mainMediaKey: mediaKey.nullable().optional(),
    mediaKeys: z.array(mediaKey).max(20).optional(),
    specDims: specDimList.optional(),
    skus: z.array(UpdateSkuInput).min(1).max(300).optional().openapi({
      description: 'the full SKU grid: listed SKUs are updated or added, unlisted ones are disabled (never deleted: orders refer to them)',
    }),
    status: z.enum(['draft', 'on_sale', 'off_sale']).optional(),
    expectedVersion: z.number().int().min(1).optional().openapi({ description: 'refuse the edit (409) if someone saved a newer version' }),
  })
  .openapi('UpdateProductInput');

export const ReviewProductInput = z
  .object({ decision: z.enum(['approve', 'reject']), reason: z.string().trim().max(200).optional() })
  .openapi('ReviewProductInput');

export const ImageSchema = z.object({ key: z.string(), url: z.string() }).openapi('Image');

export const StoreSkuSchema = z
  .object({
    id: z.string(),
    specValues: z.array(z.string()),
    specKey: z.string(),
    price: z.number().int(),
    originalPrice: z.number().int(),
    memberPrice: z.number().int().nullable(),
    stock: z.number().int(),
    inStock: z.boolean(),
    weightG: z.number().int(),
    barcode: z.string().nullable(),
    image: ImageSchema.nullable(),
  })
  .openapi('StoreSku');

export const AdminSkuSchema = StoreSkuSchema.extend({
  cost: z.number().int(),
  lowStockThreshold: z.number().int(),
  enabled: z.boolean(),
}).openapi('AdminSku');

const productBase = {
  id: z.string(),
  merchantId: z.string(),
  categoryId: z.string(),
  categoryPath: z.array(z.object({ id: z.string(), name: z.string() })),
  title: z.string(),
  subtitle: z.string(),
  material: z.string(),
  origin: z.string(),
  attributes: z.record(z.string(), z.string()),
  specDims: z.array(z.object({ name: z.string(), values: z.array(z.string()) })),
  detailHtml: z.string(),
  mainImage: ImageSchema.nullable(),
  images: z.array(ImageSchema),
  status: z.enum(['draft', 'pending_review', 'on_sale', 'off_sale']),
  minPrice: z.number().int(),
  maxPrice: z.number().int(),
  totalStock: z.number().int(),
  salesCount: z.number().int(),
  version: z.number().int(),
  createdAt: isoTime,
  updatedAt: isoTime,
};

export const StoreProductSchema = z.object({ ...productBase, skus: z.array(StoreSkuSchema) }).openapi('StoreProduct');
export const ScreeningMatchSchema = z
  .object({
    field: z.string().openapi({
      description:
        'the product field the term is in: title, subtitle, detailHtml, material, origin, attributes.<name>, specDims.<i>.name, specDims.<i>.values.<j>',
    }),
    term: z.string(),
    category: z.string(),
    severity: z.enum(['warn', 'review', 'block']),
    start: z.number().int().openapi({ description: 'UTF-16 offset into that field, inclusive' }),
    end: z.number().int().openapi({ description: 'UTF-16 offset into that field, exclusive' }),
    found: z.string().openapi({ description: 'the text as written (evasions included)' }),
    hint: z.string().nullable(),
  })
  .openapi('ProductScreeningMatch');

export const ProductScreeningSchema = z
  .object({
    verdict: z.enum(['pass', 'warn', 'review', 'block']),
    held: z.boolean().openapi({ description: 'the save was held for an operator (review-level terms or copied content)' }),
    matches: z.array(ScreeningMatchSchema),
    duplicates: z.array(z.object({ productId: z.string(), merchantId: z.string(), title: z.string(), distance: z.number().int() })),
    dictionaryVersion: z.number().int(),
    screenedAt: isoTime,
  })
  .openapi('ProductScreening');

export const AdminProductSchema = z
  .object({
    ...productBase,
    skus: z.array(AdminSkuSchema),
    /** the latest compliance screening (合规筛查) of its texts */
    screening: ProductScreeningSchema.nullable(),
    offSaleReason: z.string().nullable().openapi({ description: 'why the platform took it off sale (an overdue 整改通知)' }),
  })
  .openapi('AdminProduct');

export const RequiredFactsSchema = z
  .object({
    categoryId: z.string(),
    own: z.array(z.string()).nullable().openapi({ description: "this category's own list; null = inherited" }),
    effective: z.array(z.string()).openapi({ description: 'what a product in this category must fill to be listed' }),
    inheritedFrom: z
      .string()
      .nullable()
      .openapi({ description: 'the category the effective list comes from; null = the platform default' }),
  })
  .openapi('CategoryRequiredFacts');

export const SetRequiredFactsInput = z
  .object({
    requiredFacts: z
      .array(z.string().trim().min(1).max(20))
      .max(20)
      .refine((v) => new Set(v).size === v.length, 'fact names must be unique')
      .nullable()
      .openapi({
        description: 'attribute names (材质, 产地, 保质期 …); [] = none required; null = inherit from the parent',
        example: ['材质', '产地'],
      }),
  })
  .openapi('SetRequiredFactsInput');

export const ProductSummarySchema = z
  .object({
    id: z.string(),
    merchantId: z.string(),
    categoryId: z.string(),
    title: z.string(),
    subtitle: z.string(),
    mainImage: ImageSchema.nullable(),
    minPrice: z.number().int(),
    maxPrice: z.number().int(),
    totalStock: z.number().int(),
    inStock: z.boolean(),
    salesCount: z.number().int(),
    status: z.enum(['draft', 'pending_review', 'on_sale', 'off_sale']),
    createdAt: isoTime,
  })
  .openapi('ProductSummary');

const boolQuery = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const ListProductsQuery = z.object({
  ...pageQuery,
  categoryId: id('cat').optional().openapi({ description: 'includes every sub-category' }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .optional()
    .openapi({ description: 'keywords over title, subtitle and attributes (Chinese works, e.g. 保温杯)' }),
  minPrice: z.coerce.number().int().min(0).optional(),
  maxPrice: z.coerce.number().int().min(0).optional(),
  inStock: boolQuery.optional(),
  sort: z.enum(['newest', 'sales', 'price_asc', 'price_desc']).default('newest'),
});

export const AdminListProductsQuery = ListProductsQuery.extend({
  status: z.enum(['draft', 'pending_review', 'on_sale', 'off_sale']).optional(),
  merchantId: id('mch').optional(),
  lowStock: boolQuery.optional(),
});

// ---------- stock ----------

export const STOCK_REASONS = ['restock', 'adjust', 'damage', 'return', 'stocktake'] as const;

export const AdjustStockInput = z
  .object({
    delta: z
      .number()
      .int()
      .min(-10_000_000)
      .max(10_000_000)
      .refine((d) => d !== 0, 'delta must not be 0')
      .optional(),
    setTo: z
      .number()
      .int()
      .min(0)
      .max(10_000_000)
      .optional()
      .openapi({ description: 'stocktake: set the absolute count instead of a delta' }),
    reason: z.enum(STOCK_REASONS),
    note: z.string().trim().max(200).default(''),
  })
  .refine((v) => (v.delta === undefined) !== (v.setTo === undefined), { message: 'give exactly one of delta or setTo', path: ['delta'] })
  .openapi('AdjustStockInput');

export const StockLedgerEntrySchema = z
  .object({
    id: z.string(),
    skuId: z.string(),
    productId: z.string(),
    delta: z.number().int(),
    stockAfter: z.number().int(),
    reason: z.string(),
    note: z.string(),
    ref: z.string().nullable(),
    actorId: z.string().nullable(),
    createdAt: isoTime,
  })
  .openapi('StockLedgerEntry');

export const AdjustStockResult = z
  .object({ entry: StockLedgerEntrySchema, stock: z.number().int(), replayed: z.boolean(), alertRaised: z.boolean() })
  .openapi('AdjustStockResult');

export const InventoryAlertSchema = z
  .object({
    id: z.string(),
    skuId: z.string(),
    productId: z.string(),
    productTitle: z.string(),
    specKey: z.string(),
    merchantId: z.string(),
    stockAtAlert: z.number().int(),
    currentStock: z.number().int(),
    threshold: z.number().int(),
    status: z.enum(['open', 'resolved']),
    createdAt: isoTime,
    resolvedAt: isoTime.nullable(),
  })
  .openapi('InventoryAlert');

// ---------- pricing ----------

export const SchedulePriceInput = z
  .object({
    price: fen(),
    originalPrice: fen().optional(),
    effectiveAt: z.iso.datetime({ offset: true }).openapi({ description: 'when the new price takes effect (ISO-8601)' }),
  })
  .openapi('SchedulePriceInput');

export const PriceScheduleSchema = z
  .object({
    id: z.string(),
    skuId: z.string(),
    productId: z.string(),
    price: z.number().int(),
    originalPrice: z.number().int().nullable(),
    effectiveAt: isoTime,
    status: z.enum(['pending', 'applied', 'cancelled']),
    createdAt: isoTime,
    appliedAt: isoTime.nullable(),
  })
  .openapi('PriceSchedule');

export const SuggestedPriceQuery = z.object({
  targetMarginBps: z.coerce
    .number()
    .int()
    .min(0)
    .max(9000)
    .default(3000)
    .openapi({ description: 'gross margin target in basis points (3000 = 30%)' }),
});

export const SuggestedPriceSchema = z
  .object({
    skuId: z.string(),
    currentPrice: z.number().int(),
    cost: z.number().int(),
    floorPrice: z.number().int().openapi({ description: 'lowest price that meets the margin target' }),
    suggestedPrice: z.number().int(),
    unitsSoldLast30Days: z.number().int(),
    daysOfCover: z.number().nullable(),
    reasons: z.array(z.string()),
  })
  .openapi('SuggestedPrice');

// ---------- import ----------

export const ImportReportSchema = z
  .object({
    dryRun: z.boolean(),
    rows: z.number().int(),
    productsImported: z.number().int(),
    skusImported: z.number().int(),
    importedProductIds: z.array(z.string()),
    errors: z.array(z.object({ line: z.number().int(), field: z.string().nullable(), message: z.string() })),
  })
  .openapi('ImportReport');

export type CreateProductInput = z.infer<typeof CreateProductInput>;
export type UpdateProductInput = z.infer<typeof UpdateProductInput>;
export type ListProductsQuery = z.infer<typeof ListProductsQuery>;
export type AdminListProductsQuery = z.infer<typeof AdminListProductsQuery>;
export type StoreProductDto = z.infer<typeof StoreProductSchema>;
export type AdminProductDto = z.infer<typeof AdminProductSchema>;
export type ProductSummaryDto = z.infer<typeof ProductSummarySchema>;
export type AdjustStockInput = z.infer<typeof AdjustStockInput>;
