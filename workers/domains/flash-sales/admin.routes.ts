import { createRoute, z } from '@hono/zod-openapi';
import { pageQuery } from '../../shared/pagination';
import { WINDOW_STATES } from '../../shared/schedule';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { requireStaff } from '../auth/middleware';
import { CreateFlashSaleInput, CreatedFlashSaleSchema, FlashSaleSchema } from './dto';
import { createFlashSale, listAdminFlashSales } from './flash-sales.service';

export const flashSalesAdminRoutes = createRouter();

flashSalesAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/flash-sales',
    operationId: 'createFlashSale',
    tags: ['Flash sales admin'],
    security: bearerSecurity,
    middleware: requireStaff('promotions.write'),
    summary: "Create a flash sale: moves `allocated` units out of the SKU's stock (ledger ref fs:<saleId>) into its Durable Object",
    request: { body: jsonBody(CreateFlashSaleInput) },
    responses: {
      201: jsonContent(CreatedFlashSaleSchema, 'created (the first round; all rounds in `rounds`)'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await createFlashSale(ctxOf(c), c.req.valid('json')), 201),
);

flashSalesAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/flash-sales',
    operationId: 'listAdminFlashSales',
    tags: ['Flash sales admin'],
    security: bearerSecurity,
    middleware: requireStaff('promotions.write'),
    summary: 'Every flash sale (ended and cancelled included), latest start first, with the remaining units its Durable Object reports',
    request: {
      query: z.object({
        ...pageQuery,
        state: z.enum(WINDOW_STATES).optional(),
        status: z.enum(['active', 'cancelled']).optional(),
      }),
    },
    responses: {
      200: jsonContent(
        z
          .object({ serverTime: z.string(), items: z.array(FlashSaleSchema), nextCursor: z.string().nullable() })
          .openapi('AdminFlashSaleList'),
      ),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
    },
  }),
  async (c) => c.json(await listAdminFlashSales(ctxOf(c), c.req.valid('query')), 200),
);
