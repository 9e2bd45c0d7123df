import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonContent } from '../../shared/http';
import { requireStaff } from '../auth/middleware';
import { AdminListAfterSalesQuery, AfterSaleIdParam, AfterSalePageSchema, AfterSaleSchema } from './dto';
import { afterSaleForStaff, getAfterSaleDto, listAdminAfterSales } from './aftersales.service';

const tags = ['After-sales admin'];
const security = bearerSecurity;
// Merchant staff are limited to their own merchant's after-sales by the service (others are 404).
const staffOnly = requireStaff('aftersales.write');
/** Reading after-sales; reviewing and receiving returns move money, so they are flows (flows/aftersale-review.routes.ts). */
export const aftersalesAdminRoutes = createRouter();

aftersalesAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/after-sales',
    operationId: 'listAdminAfterSales',
    tags,
    security,
    middleware: staffOnly,
    summary: 'After-sales with filters (status, merchant, order, type), newest first; merchant staff see their own merchant only',
    request: { query: AdminListAfterSalesQuery },
    responses: { 200: jsonContent(AfterSalePageSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await listAdminAfterSales(ctxOf(c), c.req.valid('query')), 200),
);

aftersalesAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/after-sales/{afterSaleId}',
    operationId: 'getAdminAfterSale',
    tags,
    security,
    middleware: staffOnly,
    request: { params: AfterSaleIdParam },
    responses: { 200: jsonContent(AfterSaleSchema), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    const { afterSaleId } = c.req.valid('param');
    await afterSaleForStaff(ctx, afterSaleId);
    return c.json(await getAfterSaleDto(ctx, afterSaleId), 200);
  },
);
