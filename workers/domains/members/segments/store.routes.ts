import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonContent } from '../../../shared/http';
import { requireUser } from '../../auth/middleware';
import { MyWinBackSchema } from './dto';
import { getMyWinBack } from './win-back.service';

export const segmentsStoreRoutes = createRouter();

segmentsStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/win-back',
    operationId: 'getMyWinBack',
    tags: ['Members'],
    security: bearerSecurity,
    middleware: requireUser,
    summary: "The signed-in shopper's unused 专属回归礼包 coupons: the home page shows 欢迎回来 while there are any",
    responses: { 200: jsonContent(MyWinBackSchema), 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await getMyWinBack(ctxOf(c)), 200),
);
