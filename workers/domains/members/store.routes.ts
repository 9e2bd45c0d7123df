import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonContent } from '../../shared/http';
import { requireUser } from '../auth/middleware';
import { MyPointsSchema, PointsPageQuery } from './dto';
import { getMyPoints } from './points.service';

export const membersStoreRoutes = createRouter();

membersStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/points',
    operationId: 'getMyPoints',
    tags: ['Members'],
    security: bearerSecurity,
    middleware: requireUser,
    summary: "The signed-in shopper's points (积分) balance and recent ledger entries, newest first",
    request: { query: PointsPageQuery },
    responses: { 200: jsonContent(MyPointsSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await getMyPoints(ctxOf(c), c.req.valid('query')), 200),
);
