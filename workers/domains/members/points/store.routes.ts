import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonContent } from '../../../shared/http';
import { requireUser } from '../../auth/middleware';
import { PointsLedgerQuery, PointsLedgerSchema, WalletLedgerQuery, WalletLedgerSchema } from './dto';
import { listPointsLedger, listWalletLedger } from './ledger.service';

export const pointsStoreRoutes = createRouter();
const tags = ['Members'];

pointsStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/points/ledger',
    operationId: 'listPointsLedger',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary:
      "积分明细: the signed-in shopper's points balance, the points expiring next (and the last day to use them), and the ledger — all, earned (获得) or spent (使用) — newest first",
    request: { query: PointsLedgerQuery },
    responses: { 200: jsonContent(PointsLedgerSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await listPointsLedger(ctxOf(c), c.req.valid('query')), 200),
);

pointsStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/wallet',
    operationId: 'listWalletLedger',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: "余额明细: the signed-in shopper's stored balance (fen) and its entries, newest first",
    request: { query: WalletLedgerQuery },
    responses: { 200: jsonContent(WalletLedgerSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await listWalletLedger(ctxOf(c), c.req.valid('query')), 200),
);
