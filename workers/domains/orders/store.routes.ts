import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonContent } from '../../shared/http';
import { pageSchema } from '../../shared/pagination';
import { requireUser } from '../auth/middleware';
import { ListMyOrdersQuery, OrderDetailSchema, OrderSummarySchema } from './dto';
import { confirmReceipt, getOrderDetail, listMyOrders } from './orders.service';

const tags = ['Orders'];
const security = bearerSecurity;
const orderParam = z.object({ orderId: z.string().min(4).max(40) });
export const ordersStoreRoutes = createRouter();

ordersStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/orders',
    operationId: 'listOrders',
    tags,
    security,
    middleware: requireUser,
    summary: "The shopper's orders, newest first, optionally by status",
    request: { query: ListMyOrdersQuery },
    responses: { 200: jsonContent(pageSchema(OrderSummarySchema)), 400: errorResponses[400], 401: errorResponses[401] },
  }),
  async (c) => c.json(await listMyOrders(ctxOf(c), c.req.valid('query')), 200),
);

ordersStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/orders/{orderId}',
    operationId: 'getOrder',
    tags,
    security,
    middleware: requireUser,
    summary: "Order detail with lines, address and timeline (another shopper's order is 404)",
    request: { params: orderParam },
    responses: { 200: jsonContent(OrderDetailSchema), 401: errorResponses[401], 404: errorResponses[404] },
  }),
  async (c) => c.json(await getOrderDetail(ctxOf(c), c.req.valid('param').orderId), 200),
);

ordersStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/orders/{orderId}/confirm-receipt',
    operationId: 'confirmReceipt',
    tags,
    security,
    middleware: requireUser,
    summary: 'Confirm the goods arrived (shipped/delivered → completed); repeating it is harmless',
    request: { params: orderParam },
    responses: { 200: jsonContent(OrderDetailSchema), 401: errorResponses[401], 404: errorResponses[404], 409: errorResponses[409] },
  }),
  async (c) => c.json(await confirmReceipt(ctxOf(c), c.req.valid('param').orderId), 200),
);
