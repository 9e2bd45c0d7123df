import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonContent } from '../../shared/http';
import { requireUser } from '../auth/middleware';
import { FlashSaleListSchema, FlashSaleTokenSchema } from './dto';
import { issueFlashSaleToken, listFlashSales } from './flash-sales.service';

const tags = ['Flash sales'];
export const flashSalesStoreRoutes = createRouter();

flashSalesStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/flash-sales',
    operationId: 'listFlashSales',
    tags,
    summary: 'Live and upcoming flash sales (each round separately) with the server time and remaining units',
    responses: { 200: jsonContent(FlashSaleListSchema) },
  }),
  async (c) => c.json(await listFlashSales(ctxOf(c)), 200),
);

flashSalesStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/flash-sales/{saleId}/token',
    operationId: 'issueFlashSaleToken',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary:
      'Anti-bot token for a live sale, bound to the shopper; send it as X-Flash-Token when the sale has requireToken. Refused (409 flash_sales.not_started) before the start.',
    request: { params: z.object({ saleId: z.string().min(4).max(40) }) },
    responses: {
      200: jsonContent(FlashSaleTokenSchema),
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await issueFlashSaleToken(ctxOf(c), c.req.valid('param').saleId), 200),
);
