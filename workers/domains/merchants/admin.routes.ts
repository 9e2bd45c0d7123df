import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonContent } from '../../shared/http';
import { requireStaff } from '../auth/middleware';
import { LedgerQuery, MerchantLedgerSchema } from './dto';
import { getMerchantLedger } from './settlement.service';

const tags = ['Merchants admin'];
const security = bearerSecurity;
const merchantParam = z.object({ merchantId: z.string().min(4).max(40) });

export const merchantsAdminRoutes = createRouter();

merchantsAdminRoutes.openapi(
  createRoute({
    method: 'get', path: '/merchants/{merchantId}/ledger', operationId: 'getMerchantLedger', tags, security, middleware: requireStaff('orders.read'),
    summary: "A merchant's settlement ledger, newest first, with its balance",
    description:
      'Entries: `sale` (+ paid − refunded of a settled order) and `commission` (− platform commission, rounded half up to whole fen), written once per order when its after-sales window has closed. Merchant staff may read only their own merchant (another merchant is 404).',
    request: { params: merchantParam, query: LedgerQuery },
    responses: { 200: jsonContent(MerchantLedgerSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => c.json(await getMerchantLedger(ctxOf(c), c.req.valid('param').merchantId, c.req.valid('query')), 200),
);
