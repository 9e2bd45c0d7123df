import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../../shared/http';
import { pageSchema } from '../../../shared/pagination';
import { requireStaff } from '../../auth/middleware';
import {
  AdjustMallStockInput,
  CreatePointsMallItemInput,
  ExchangeAdminSchema,
  ListAdminExchangesQuery,
  ListAdminMallItemsQuery,
  PointsMallItemAdminSchema,
  UpdatePointsMallItemInput,
} from './dto';
import {
  adjustPointsMallStock,
  createPointsMallItem,
  getAdminPointsMallItem,
  listAdminPointsMallItems,
  updatePointsMallItem,
} from './items.service';
import { listAdminExchanges } from './exchange.service';

const tags = ['Points mall admin'];
const security = bearerSecurity;
const read = requireStaff('members.read');
const write = requireStaff('members.write');
const itemParam = z.object({ itemId: z.string().min(4).max(40) });
export const pointsMallAdminRoutes = createRouter();

pointsMallAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/points-mall/items',
    operationId: 'createPointsMallItem',
    tags,
    security,
    middleware: write,
    summary:
      "Create a points-mall item: goods (a catalog SKU shipped as an order; points only or points + cash), a coupon (a template open to the 'points_mall' channel) or lottery chances (extra draws of a lottery). Stock, per-shopper limit (ever or per day), window, sort, image, tier restriction",
    request: { body: jsonBody(CreatePointsMallItemInput) },
    responses: {
      201: jsonContent(PointsMallItemAdminSchema, 'created'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await createPointsMallItem(ctxOf(c), c.req.valid('json')), 201),
);

pointsMallAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/points-mall/items',
    operationId: 'listAdminPointsMallItems',
    tags,
    security,
    middleware: read,
    summary: 'Points-mall items, on and off the shelf, newest first',
    request: { query: ListAdminMallItemsQuery },
    responses: {
      200: jsonContent(pageSchema(PointsMallItemAdminSchema)),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
    },
  }),
  async (c) => c.json(await listAdminPointsMallItems(ctxOf(c), c.req.valid('query')), 200),
);

pointsMallAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/points-mall/items/{itemId}',
    operationId: 'getAdminPointsMallItem',
    tags,
    security,
    middleware: read,
    summary: 'One points-mall item',
    request: { params: itemParam },
    responses: {
      200: jsonContent(PointsMallItemAdminSchema),
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  }),
  async (c) => c.json(await getAdminPointsMallItem(ctxOf(c), c.req.valid('param').itemId), 200),
);

pointsMallAdminRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/points-mall/items/{itemId}',
    operationId: 'updatePointsMallItem',
    tags,
    security,
    middleware: write,
    summary:
      'Change an item: prices, texts, image, limit, window, on/off shelf (上架/下架), sort, tier. Its kind and what it hands out stay',
    request: { params: itemParam, body: jsonBody(UpdatePointsMallItemInput) },
    responses: {
      200: jsonContent(PointsMallItemAdminSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  }),
  async (c) => c.json(await updatePointsMallItem(ctxOf(c), c.req.valid('param').itemId, c.req.valid('json')), 200),
);

pointsMallAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/points-mall/items/{itemId}/stock',
    operationId: 'adjustPointsMallStock',
    tags,
    security,
    middleware: write,
    summary: 'Add units to an item or take them off sale; never below 0 left (409 members.mall_stock_negative)',
    request: { params: itemParam, body: jsonBody(AdjustMallStockInput) },
    responses: {
      200: jsonContent(PointsMallItemAdminSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await adjustPointsMallStock(ctxOf(c), c.req.valid('param').itemId, c.req.valid('json').delta), 200),
);

pointsMallAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/points-mall/exchanges',
    operationId: 'listPointsMallExchanges',
    tags,
    security,
    middleware: read,
    summary: 'Exchange records (兑换记录), newest first, by item or shopper',
    request: { query: ListAdminExchangesQuery },
    responses: {
      200: jsonContent(pageSchema(ExchangeAdminSchema)),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  }),
  async (c) => c.json(await listAdminExchanges(ctxOf(c), c.req.valid('query')), 200),
);
