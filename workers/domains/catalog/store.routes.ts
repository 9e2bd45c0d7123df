import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, ctxOf, errorResponses, jsonContent } from '../../shared/http';
import { cachedJson } from '../../shared/cache';
import { pageSchema } from '../../shared/pagination';
import { CategoryNodeSchema, ListProductsQuery, ProductSummarySchema, StoreProductSchema } from './dto';
import { storeCategoryTree } from './categories.service';
import { liveProductState, loadStoreProduct } from './products.service';
import { notFound } from '../../shared/errors';
import { listStoreProducts } from './search.service';
import { CATALOG_CACHE_TTL_SECONDS, productKey } from './cache-keys';

const tags = ['Catalog'];
export const catalogStoreRoutes = createRouter();

catalogStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/categories',
    operationId: 'listCategories',
    tags,
    summary: 'The enabled category tree (cached; edits show at once)',
    responses: { 200: jsonContent(z.object({ items: z.array(CategoryNodeSchema) })) },
  }),
  async (c) => c.json({ items: await storeCategoryTree(ctxOf(c)) }, 200),
);

catalogStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/products',
    operationId: 'listProducts',
    tags,
    summary: 'On-sale products: filter by category (with sub-categories), price range, stock; sort; keyword search (Chinese)',
    request: { query: ListProductsQuery },
    responses: { 200: jsonContent(pageSchema(ProductSummarySchema).openapi('ProductPage')), 400: errorResponses[400] },
  }),
  async (c) => c.json(await listStoreProducts(ctxOf(c), c.req.valid('query')), 200),
);

catalogStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/products/{productId}',
    operationId: 'getProduct',
    tags,
    summary: 'Product detail with SKUs, images and live stock',
    request: { params: z.object({ productId: z.string().min(4).max(40) }) },
    responses: { 200: jsonContent(StoreProductSchema), 404: errorResponses[404] },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    const { productId } = c.req.valid('param');
    const product = await cachedJson(ctx, productKey(productId), CATALOG_CACHE_TTL_SECONDS, () => loadStoreProduct(ctx, productId));
    // The body may come from cache; visibility and stock are read fresh every time.
    const { visible, stock } = await liveProductState(ctx, productId);
    if (!visible) throw notFound('catalog.product_not_found', `product ${productId}`);
    const skus = product.skus.map((s) => {
      const n = stock.get(s.id) ?? 0;
      return { ...s, stock: n, inStock: n > 0 };
    });
    return c.json({ ...product, skus, totalStock: skus.reduce((a, s) => a + s.stock, 0) }, 200);
  },
);
