import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { requireStaff } from '../auth/middleware';
import { CreateFlashSaleInput, CreatedFlashSaleSchema } from './dto';
import { createFlashSale } from './flash-sales.service';

export const flashSalesAdminRoutes = createRouter();

flashSalesAdminRoutes.openapi(
  createRoute({
    method: 'post', path: '/flash-sales', operationId: 'createFlashSale', tags: ['Flash sales admin'], security: bearerSecurity,
    middleware: requireStaff('promotions.write'),
    summary: "Create a flash sale: moves `allocated` units out of the SKU's stock (ledger ref fs:<saleId>) into its Durable Object",
    request: { body: jsonBody(CreateFlashSaleInput) },
    responses: {
      201: jsonContent(CreatedFlashSaleSchema, 'created (the first round; all rounds in `rounds`)'),
      400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404], 409: errorResponses[409],
    },
  }),
  async (c) => c.json(await createFlashSale(ctxOf(c), c.req.valid('json')), 201),
);
