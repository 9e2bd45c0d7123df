import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createRouter, ctxOf, errorResponses, jsonContent, type AppEnv } from '../../shared/http';
import { pageSchema } from '../../shared/pagination';
import { CategoryNodeSchema, ListProductsQuery, ProductSummarySchema, StoreProductSchema } from './dto';
import {
  storeCategoryTreePage,
  storeCategoryTreePageFromMemory,
  storeProductListPage,
  storeProductListPageFromMemory,
  storeProductPage,
  storeProductPageFromMemory,
  type CachedPage,
} from './store-cache';

const tags = ['Catalog'];
export const catalogStoreRoutes = createRouter();

const notModified = { 304: { description: 'Not modified: If-None-Match names the current ETag' } };

// Each handler first asks this isolate's memory (no I/O, no service context to build), then the
// full read-through (memory within the bound, Cache API, D1).

/**
 * Sends a cached page. The text is the same for every caller (store-cache.ts), so it carries an
 * ETag; `no-cache` tells clients to revalidate each time (a price change must show at once), and
 * a matching If-None-Match costs them no body.
 */
function send(c: Context<AppEnv>, p: CachedPage) {
  const headers = { etag: p.etag, 'cache-control': 'no-cache' };
  if (c.req.header('if-none-match') === p.etag) return c.body(null, 304, headers);
  return c.body(p.bytes, 200, { ...headers, 'content-type': 'application/json' });
}

catalogStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/categories',
    operationId: 'listCategories',
    tags,
    summary: 'The enabled category tree (cached; edits show at once)',
    responses: { 200: jsonContent(z.object({ items: z.array(CategoryNodeSchema) })), ...notModified },
  }),
  async (c) => send(c, storeCategoryTreePageFromMemory(Date.now()) ?? (await storeCategoryTreePage(ctxOf(c)))),
);

catalogStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/products',
    operationId: 'listProducts',
    tags,
    summary:
      'On-sale products: filter by category (with sub-categories), price range, stock; sort; keyword search (Chinese). Cached: edits show at once, stock within 1 s',
    request: { query: ListProductsQuery },
    responses: { 200: jsonContent(pageSchema(ProductSummarySchema).openapi('ProductPage')), ...notModified, 400: errorResponses[400] },
  }),
  async (c) => {
    const q = c.req.valid('query');
    return send(c, storeProductListPageFromMemory(q, Date.now()) ?? (await storeProductListPage(ctxOf(c), q)));
  },
);

catalogStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/products/{productId}',
    operationId: 'getProduct',
    tags,
    summary: 'Product detail with SKUs, images and live stock (cached: edits show at once, stock within 1 s)',
    request: { params: z.object({ productId: z.string().min(4).max(40) }) },
    responses: { 200: jsonContent(StoreProductSchema), ...notModified, 404: errorResponses[404] },
  }),
  async (c) => {
    const { productId } = c.req.valid('param');
    return send(c, storeProductPageFromMemory(productId, Date.now()) ?? (await storeProductPage(ctxOf(c), productId)));
  },
);
