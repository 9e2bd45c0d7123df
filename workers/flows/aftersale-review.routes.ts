import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../shared/http';
import { requireStaff } from '../domains/auth/middleware';
import { AfterSaleIdParam, AfterSaleSchema, ReviewAfterSaleInput } from '../domains/aftersales/dto';
import { receiveReturn, reviewAfterSale } from './refund';

const tags = ['After-sales admin'];
const security = bearerSecurity;
// Merchant staff are limited to their own merchant's after-sales by the service (others are 404).
const staffOnly = requireStaff('aftersales.write');
export const aftersaleReviewRoutes = createRouter();

aftersaleReviewRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/after-sales/{afterSaleId}/review',
    operationId: 'reviewAfterSale',
    tags,
    security,
    middleware: staffOnly,
    summary: 'Approve or reject a requested after-sale (a rejection needs a reason)',
    description:
      'Approving a refund-only request refunds at once through WeChat Pay (status refunding, then refunded when the refund notification lands). ' +
      "Approving a return or exchange waits for the shopper's return shipment and receive-return. A refund beyond what was paid is 409 aftersales.refund_exceeds_paid.",
    request: { params: AfterSaleIdParam, body: jsonBody(ReviewAfterSaleInput) },
    responses: {
      200: jsonContent(AfterSaleSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await reviewAfterSale(ctxOf(c), c.req.valid('param').afterSaleId, c.req.valid('json')), 200),
);

aftersaleReviewRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/after-sales/{afterSaleId}/receive-return',
    operationId: 'receiveAfterSaleReturn',
    tags,
    security,
    middleware: staffOnly,
    summary: 'The returned goods arrived: stock goes back (exactly once) and the refund starts; an exchange is marked exchanged',
    request: { params: AfterSaleIdParam },
    responses: {
      200: jsonContent(AfterSaleSchema),
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await receiveReturn(ctxOf(c), c.req.valid('param').afterSaleId), 200),
);
