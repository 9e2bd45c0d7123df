import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { requireStaff } from '../auth/middleware';
import { LedgerQuery, ListMerchantsQuery, MerchantLedgerSchema, MerchantPageSchema, MerchantSchema, UpdateMerchantInput } from './dto';
import { getMerchantAdmin, listMerchants, updateMerchant } from './merchants.service';
import { getMerchantLedger } from './settlement.service';

const tags = ['Merchants admin'];
const security = bearerSecurity;
const merchantParam = z.object({ merchantId: z.string().min(4).max(40) });

export const merchantsAdminRoutes = createRouter();

merchantsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/merchants/{merchantId}/ledger',
    operationId: 'getMerchantLedger',
    tags,
    security,
    middleware: requireStaff('orders.read'),
    summary: "A merchant's settlement ledger, newest first, with its balance",
    description:
      'Entries: `sale` (+ paid − refunded of a settled order) and `commission` (− platform commission, rounded half up to whole fen), written once per order when its after-sales window has closed. Merchant staff may read only their own merchant (another merchant is 404).',
    request: { params: merchantParam, query: LedgerQuery },
    responses: {
      200: jsonContent(MerchantLedgerSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  }),
  async (c) => c.json(await getMerchantLedger(ctxOf(c), c.req.valid('param').merchantId, c.req.valid('query')), 200),
);

merchantsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/merchants',
    operationId: 'listMerchants',
    tags,
    security,
    middleware: requireStaff('merchants.manage'),
    summary: 'Merchants, newest first',
    request: { query: ListMerchantsQuery },
    responses: { 200: jsonContent(MerchantPageSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await listMerchants(ctxOf(c), c.req.valid('query')), 200),
);

merchantsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/merchants/{merchantId}',
    operationId: 'getMerchantAdmin',
    tags,
    security,
    middleware: requireStaff('orders.read'),
    summary: 'One merchant',
    description: 'Admins (merchants.manage) read any merchant; merchant staff only their own (another merchant is 404); other roles 403.',
    request: { params: merchantParam },
    responses: { 200: jsonContent(MerchantSchema), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => c.json(await getMerchantAdmin(ctxOf(c), c.req.valid('param').merchantId), 200),
);

merchantsAdminRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/merchants/{merchantId}',
    operationId: 'updateMerchant',
    tags,
    security,
    middleware: requireStaff('merchants.manage'),
    summary: 'Suspend or reactivate a merchant, or change its commission (basis points, 0–5000)',
    request: { params: merchantParam, body: jsonBody(UpdateMerchantInput) },
    responses: {
      200: jsonContent(MerchantSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await updateMerchant(ctxOf(c), c.req.valid('param').merchantId, c.req.valid('json')), 200),
);
