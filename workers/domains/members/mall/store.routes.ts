import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonContent } from '../../../shared/http';
import { pageSchema } from '../../../shared/pagination';
import { requireUser } from '../../auth/middleware';
import { ListMyExchangesQuery, ListPointsMallItemsQuery, PointsMallExchangeSchema, PointsMallItemSchema, PointsMallSchema } from './dto';
import { getPointsMallItem, listPointsMallItems } from './items.service';
import { listMyExchanges } from './exchange.service';

const tags = ['Points mall'];
export const pointsMallStoreRoutes = createRouter();

pointsMallStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/points-mall/items',
    operationId: 'listPointsMallItems',
    tags,
    summary:
      'The points mall (积分商城): items on the shelf by sort order, the kinds that have items (tabs); signed in, also the points balance and each item’s remaining exchange limit',
    request: { query: ListPointsMallItemsQuery },
    responses: { 200: jsonContent(PointsMallSchema), 400: errorResponses[400], 401: errorResponses[401] },
  }),
  async (c) => c.json(await listPointsMallItems(ctxOf(c), c.req.valid('query')), 200),
);

pointsMallStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/points-mall/items/{itemId}',
    operationId: 'getPointsMallItem',
    tags,
    summary:
      'One points-mall item (detail page); signed in, also the points balance and the remaining limit. Off the shelf or ended is 404',
    request: { params: z.object({ itemId: z.string().min(4).max(40) }) },
    responses: {
      200: jsonContent(PointsMallItemSchema.extend({ points: z.number().int().nullable() }).openapi('PointsMallItemDetail')),
      401: errorResponses[401],
      404: errorResponses[404],
    },
  }),
  async (c) => c.json(await getPointsMallItem(ctxOf(c), c.req.valid('param').itemId), 200),
);

pointsMallStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/points-mall/exchanges',
    operationId: 'listMyPointsMallExchanges',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: 'The signed-in shopper’s exchanges (兑换记录), newest first, with the order of goods exchanges',
    request: { query: ListMyExchangesQuery },
    responses: {
      200: jsonContent(pageSchema(PointsMallExchangeSchema)),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
    },
  }),
  async (c) => c.json(await listMyExchanges(ctxOf(c), c.req.valid('query')), 200),
);
