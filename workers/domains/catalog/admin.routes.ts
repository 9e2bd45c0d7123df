import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { pageQuery, pageSchema } from '../../shared/pagination';
import { badRequest } from '../../shared/errors';
import { optionalIdempotencyHeader } from '../../shared/idempotency';
import { requireStaff } from '../auth/middleware';
import {
  AdjustStockInput,
  AdjustStockResult,
  AdminListProductsQuery,
  AdminProductSchema,
  CategorySchema,
  CreateCategoryInput,
  CreateProductInput,
  ImportReportSchema,
  InventoryAlertSchema,
  PriceScheduleSchema,
  ProductSummarySchema,
  RequiredFactsSchema,
  ReviewProductInput,
  SetRequiredFactsInput,
  SchedulePriceInput,
  StockLedgerEntrySchema,
  SuggestedPriceQuery,
  SuggestedPriceSchema,
  UpdateCategoryInput,
  UpdateProductInput,
} from './dto';
import { createCategory, deleteCategory, listCategories, updateCategory } from './categories.service';
import { createProduct, deleteProduct, getAdminProduct, reviewProduct, updateProduct } from './products.service';
import { listAdminProducts } from './search.service';
import { adjustStock, listInventoryAlerts, listStockLedger } from './stock.service';
import { cancelPriceSchedule, listPriceSchedules, schedulePriceChange, suggestPrice } from './pricing.service';
import { importProductsCsv } from './import.service';
import { requiredFactsOf, setRequiredFacts } from './required-facts.service';

const security = bearerSecurity;
const read = requireStaff('catalog.read');
const write = requireStaff('catalog.write');
const stockWrite = requireStaff('stock.write');
const catParam = z.object({ categoryId: z.string().min(4).max(40) });
const prdParam = z.object({ productId: z.string().min(4).max(40) });
const skuParam = z.object({ skuId: z.string().min(4).max(40) });
const ok = z.object({ ok: z.literal(true) });

export const catalogAdminRoutes = createRouter();

// ---------- categories ----------

catalogAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/categories',
    operationId: 'listAdminCategories',
    tags: ['Catalog admin'],
    security,
    middleware: read,
    summary: 'Every category, disabled ones included (flat, with parentId and level)',
    responses: { 200: jsonContent(z.object({ items: z.array(CategorySchema) })), 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json({ items: await listCategories(ctxOf(c), { includeDisabled: true }) }, 200),
);

catalogAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/categories',
    operationId: 'createCategory',
    tags: ['Catalog admin'],
    security,
    middleware: write,
    request: { body: jsonBody(CreateCategoryInput) },
    responses: {
      201: jsonContent(CategorySchema, 'created'),
      400: errorResponses[400],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await createCategory(ctxOf(c), c.req.valid('json')), 201),
);

catalogAdminRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/categories/{categoryId}',
    operationId: 'updateCategory',
    tags: ['Catalog admin'],
    security,
    middleware: write,
    summary: 'Rename, reorder, enable/disable or move (cycles refused)',
    request: { params: catParam, body: jsonBody(UpdateCategoryInput) },
    responses: {
      200: jsonContent(CategorySchema),
      400: errorResponses[400],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await updateCategory(ctxOf(c), c.req.valid('param').categoryId, c.req.valid('json')), 200),
);

catalogAdminRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/categories/{categoryId}',
    operationId: 'deleteCategory',
    tags: ['Catalog admin'],
    security,
    middleware: write,
    summary: 'Delete an empty category',
    request: { params: catParam },
    responses: { 200: jsonContent(ok), 403: errorResponses[403], 404: errorResponses[404], 409: errorResponses[409] },
  }),
  async (c) => {
    await deleteCategory(ctxOf(c), c.req.valid('param').categoryId);
    return c.json({ ok: true as const }, 200);
  },
);

catalogAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/categories/{categoryId}/required-facts',
    operationId: 'getCategoryRequiredFacts',
    tags: ['Catalog admin'],
    security,
    middleware: read,
    summary: 'The facts (材质, 产地 …) a product of this category must fill before it is listed, and where the list comes from',
    request: { params: catParam },
    responses: { 200: jsonContent(RequiredFactsSchema), 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => c.json(await requiredFactsOf(ctxOf(c), c.req.valid('param').categoryId), 200),
);

catalogAdminRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/categories/{categoryId}/required-facts',
    operationId: 'setCategoryRequiredFacts',
    tags: ['Catalog admin'],
    security,
    middleware: write,
    summary: "Set a category's required facts (inherited by its sub-categories); null = inherit from the parent",
    request: { params: catParam, body: jsonBody(SetRequiredFactsInput) },
    responses: { 200: jsonContent(RequiredFactsSchema), 400: errorResponses[400], 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => c.json(await setRequiredFacts(ctxOf(c), c.req.valid('param').categoryId, c.req.valid('json').requiredFacts), 200),
);

// ---------- products ----------

catalogAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/products',
    operationId: 'listAdminProducts',
    tags: ['Catalog admin'],
    security,
    middleware: read,
    summary: 'Products in any status; merchants see only their own',
    request: { query: AdminListProductsQuery },
    responses: { 200: jsonContent(pageSchema(ProductSummarySchema)), 400: errorResponses[400], 403: errorResponses[403] },
  }),
  async (c) => c.json(await listAdminProducts(ctxOf(c), c.req.valid('query')), 200),
);

catalogAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/products',
    operationId: 'createProduct',
    tags: ['Catalog admin'],
    security,
    middleware: write,
    summary: 'Create an SPU with its spec dimensions and SKUs (generated from skuDefaults when skus is omitted)',
    request: { body: jsonBody(CreateProductInput) },
    responses: {
      201: jsonContent(AdminProductSchema, 'created'),
      400: errorResponses[400],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await createProduct(ctxOf(c), c.req.valid('json')), 201),
);

catalogAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/products/{productId}',
    operationId: 'getAdminProduct',
    tags: ['Catalog admin'],
    security,
    middleware: read,
    request: { params: prdParam },
    responses: { 200: jsonContent(AdminProductSchema), 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => c.json(await getAdminProduct(ctxOf(c), c.req.valid('param').productId), 200),
);

catalogAdminRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/products/{productId}',
    operationId: 'updateProduct',
    tags: ['Catalog admin'],
    security,
    middleware: write,
    summary: 'Edit fields, the SKU grid and status; visible to the storefront at once',
    request: { params: prdParam, body: jsonBody(UpdateProductInput) },
    responses: {
      200: jsonContent(AdminProductSchema),
      400: errorResponses[400],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await updateProduct(ctxOf(c), c.req.valid('param').productId, c.req.valid('json')), 200),
);

catalogAdminRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/products/{productId}',
    operationId: 'deleteProduct',
    tags: ['Catalog admin'],
    security,
    middleware: write,
    summary: 'Remove a product (kept for past orders, hidden everywhere else)',
    request: { params: prdParam },
    responses: { 200: jsonContent(ok), 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => {
    await deleteProduct(ctxOf(c), c.req.valid('param').productId);
    return c.json({ ok: true as const }, 200);
  },
);

catalogAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/products/{productId}/review',
    operationId: 'reviewProduct',
    tags: ['Catalog admin'],
    security,
    middleware: [requireStaff('catalog.review')] as const,
    summary: "Approve or reject a merchant's product waiting for review",
    request: { params: prdParam, body: jsonBody(ReviewProductInput) },
    responses: { 200: jsonContent(AdminProductSchema), 403: errorResponses[403], 404: errorResponses[404], 409: errorResponses[409] },
  }),
  async (c) => c.json(await reviewProduct(ctxOf(c), c.req.valid('param').productId, c.req.valid('json')), 200),
);

const IMPORT_MAX_BYTES = 2 * 1024 * 1024;
catalogAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/products/import',
    operationId: 'importProducts',
    tags: ['Catalog admin'],
    security,
    middleware: write,
    summary:
      'Bulk import from CSV (one row per SKU; rows sharing spu form a product). Bad rows are reported by line and nothing of their product is imported.',
    request: {
      query: z.object({
        dryRun: z
          .enum(['true', 'false'])
          .default('false')
          .transform((v) => v === 'true'),
        merchantId: z.string().optional(),
      }),
      body: {
        required: true,
        content: {
          'text/csv': {
            schema: z.string().openapi({
              example:
                'spu,title,category,material,origin,specs,price,stock\nP1,不锈钢保温杯,家居生活/厨房用品/保温杯,316不锈钢,浙江永康,颜色=白色,49.90,100',
            }),
          },
        },
      },
    },
    responses: { 200: jsonContent(ImportReportSchema), 400: errorResponses[400], 403: errorResponses[403] },
  }),
  async (c) => {
    const len = Number(c.req.header('content-length') ?? 0);
    if (len > IMPORT_MAX_BYTES) throw badRequest('catalog.import_too_large', 'CSV larger than 2 MiB; split it');
    const text = await c.req.text();
    if (text.length > IMPORT_MAX_BYTES) throw badRequest('catalog.import_too_large', 'CSV larger than 2 MiB; split it');
    const q = c.req.valid('query');
    return c.json(await importProductsCsv(ctxOf(c), text, { dryRun: q.dryRun, merchantId: q.merchantId }), 200);
  },
);

// ---------- stock ----------

catalogAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/skus/{skuId}/stock-adjustments',
    operationId: 'adjustStock',
    tags: ['Inventory'],
    security,
    middleware: stockWrite,
    summary: 'Change stock with a reason (delta, or setTo for a stocktake); recorded in the ledger; may raise a low-stock alert',
    request: { params: skuParam, headers: optionalIdempotencyHeader, body: jsonBody(AdjustStockInput) },
    responses: {
      200: jsonContent(AdjustStockResult),
      400: errorResponses[400],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) =>
    c.json(await adjustStock(ctxOf(c), c.req.valid('param').skuId, c.req.valid('json'), c.req.valid('header')['idempotency-key']), 200),
);

catalogAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/skus/{skuId}/stock-ledger',
    operationId: 'listStockLedger',
    tags: ['Inventory'],
    security,
    middleware: read,
    request: { params: skuParam, query: z.object(pageQuery) },
    responses: { 200: jsonContent(pageSchema(StockLedgerEntrySchema)), 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => c.json(await listStockLedger(ctxOf(c), c.req.valid('param').skuId, c.req.valid('query')), 200),
);

catalogAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/inventory-alerts',
    operationId: 'listInventoryAlerts',
    tags: ['Inventory'],
    security,
    middleware: read,
    summary: 'Low-stock alerts, newest first; merchants see their own',
    request: { query: z.object({ ...pageQuery, status: z.enum(['open', 'resolved']).optional() }) },
    responses: { 200: jsonContent(pageSchema(InventoryAlertSchema)), 403: errorResponses[403] },
  }),
  async (c) =>
    c.json(
      (await listInventoryAlerts(ctxOf(c), c.req.valid('query'))) as z.infer<ReturnType<typeof pageSchema<typeof InventoryAlertSchema>>>,
      200,
    ),
);

// ---------- pricing ----------

catalogAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/skus/{skuId}/price-schedules',
    operationId: 'schedulePriceChange',
    tags: ['Pricing'],
    security,
    middleware: write,
    summary: 'Schedule a price change (applied by the cron trigger when due)',
    request: { params: skuParam, body: jsonBody(SchedulePriceInput) },
    responses: {
      201: jsonContent(PriceScheduleSchema, 'scheduled'),
      400: errorResponses[400],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  }),
  async (c) => c.json(await schedulePriceChange(ctxOf(c), c.req.valid('param').skuId, c.req.valid('json')), 201),
);

catalogAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/skus/{skuId}/price-schedules',
    operationId: 'listPriceSchedules',
    tags: ['Pricing'],
    security,
    middleware: read,
    request: { params: skuParam },
    responses: { 200: jsonContent(z.object({ items: z.array(PriceScheduleSchema) })), 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => c.json({ items: await listPriceSchedules(ctxOf(c), c.req.valid('param').skuId) }, 200),
);

catalogAdminRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/price-schedules/{scheduleId}',
    operationId: 'cancelPriceSchedule',
    tags: ['Pricing'],
    security,
    middleware: write,
    request: { params: z.object({ scheduleId: z.string().min(4).max(40) }) },
    responses: { 200: jsonContent(PriceScheduleSchema), 403: errorResponses[403], 404: errorResponses[404], 409: errorResponses[409] },
  }),
  async (c) => c.json(await cancelPriceSchedule(ctxOf(c), c.req.valid('param').scheduleId), 200),
);

catalogAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/skus/{skuId}/suggested-price',
    operationId: 'suggestPrice',
    tags: ['Pricing'],
    security,
    middleware: read,
    summary: 'A suggested price from cost, a margin target and the last 30 days of sales, with its reasons',
    request: { params: skuParam, query: SuggestedPriceQuery },
    responses: { 200: jsonContent(SuggestedPriceSchema), 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => c.json(await suggestPrice(ctxOf(c), c.req.valid('param').skuId, c.req.valid('query').targetMarginBps), 200),
);
