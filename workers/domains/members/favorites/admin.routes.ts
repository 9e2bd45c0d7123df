import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonContent } from '../../../shared/http';
import { requireStaff } from '../../auth/middleware';
import { restockDemand } from './favorites.service';

export const favoritesAdminRoutes = createRouter();

const RestockDemandSchema = z
  .object({
    items: z.array(
      z.object({
        skuId: z.string(),
        productId: z.string(),
        title: z.string().nullable(),
        specKey: z.string().nullable(),
        stock: z.number().int(),
        waiting: z.number().int().openapi({ description: 'shoppers waiting for it (到货提醒)' }),
      }),
    ),
  })
  .openapi('RestockDemand');

favoritesAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/restock-demand',
    operationId: 'listRestockDemand',
    tags: ['Messages admin'],
    security: bearerSecurity,
    middleware: requireStaff('members.read'),
    summary: 'Sold-out SKUs shoppers wait for (到货提醒), most wanted first: what to restock',
    request: { query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }) },
    responses: { 200: jsonContent(RestockDemandSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json({ items: await restockDemand(ctxOf(c), c.req.valid('query').limit) }, 200),
);
