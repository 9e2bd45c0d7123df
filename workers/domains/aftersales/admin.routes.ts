import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { requireStaff } from '../auth/middleware';
import { receiveReturn, reviewAfterSale } from '../../flows/refund';
import { AdminListAfterSalesQuery, AfterSalePageSchema, AfterSaleSchema, ReviewAfterSaleInput } from './dto';
import { afterSaleForStaff, getAfterSaleDto, listAdminAfterSales } from './aftersales.service';

const tags = ['After-sales admin'];
const security = bearerSecurity;
const afterSaleParam = z.object({ afterSaleId: z.string().min(4).max(40) });
// Merchant staff are limited to their own merchant's after-sales by the service (others are 404).
const staffOnly = requireStaff('aftersales.write');
export const aftersalesAdminRoutes = createRouter();

aftersalesAdminRoutes.openapi(
  createRoute({
    method: 'get', path: '/after-sales', operationId: 'listAdminAfterSales', tags, security, middleware: staffOnly,
    summary: 'After-sales with filters (status, merchant, order, type), newest first; merchant staff see their own merchant only',
    request: { query: AdminListAfterSalesQuery },
    responses: { 200: jsonContent(AfterSalePageSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await listAdminAfterSales(ctxOf(c), c.req.valid('query')), 200),
);

aftersalesAdminRoutes.openapi(
  createRoute({
    method: 'get', path: '/after-sales/{afterSaleId}', operationId: 'getAdminAfterSale', tags, security, middleware: staffOnly,
    request: { params: afterSaleParam },
    responses: { 200: jsonContent(AfterSaleSchema), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    const { afterSaleId } = c.req.valid('param');
    await afterSaleForStaff(ctx, afterSaleId);
    return c.json(await getAfterSaleDto(ctx, afterSaleId), 200);
  },
);

aftersalesAdminRoutes.openapi(
  createRoute({
    method: 'post', path: '/after-sales/{afterSaleId}/review', operationId: 'reviewAfterSale', tags, security, middleware: staffOnly,
    summary: 'Approve or reject a requested after-sale (a rejection needs a reason)',
    description:
      'Approving a refund-only request refunds at once through WeChat Pay (status refunding, then refunded when the refund notification lands). ' +
      "Approving a return or exchange waits for the shopper's return shipment and receive-return. A refund beyond what was paid is 409 aftersales.refund_exceeds_paid.",
    request: { params: afterSaleParam, body: jsonBody(ReviewAfterSaleInput) },
    responses: { 200: jsonContent(AfterSaleSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404], 409: errorResponses[409] },
  }),
  async (c) => c.json(await reviewAfterSale(ctxOf(c), c.req.valid('param').afterSaleId, c.req.valid('json')), 200),
);

aftersalesAdminRoutes.openapi(
  createRoute({
    method: 'post', path: '/after-sales/{afterSaleId}/receive-return', operationId: 'receiveAfterSaleReturn', tags, security, middleware: staffOnly,
    summary: 'The returned goods arrived: stock goes back (exactly once) and the refund starts; an exchange is marked exchanged',
    request: { params: afterSaleParam },
    responses: { 200: jsonContent(AfterSaleSchema), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404], 409: errorResponses[409] },
  }),
  async (c) => c.json(await receiveReturn(ctxOf(c), c.req.valid('param').afterSaleId), 200),
);
