import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../shared/http';
import { requireStaff, requireUser } from '../domains/auth/middleware';
import { OrderDetailSchema, ShipOrderInput } from '../domains/orders/dto';
import { ShipmentSchema } from '../domains/logistics/dto';
import { orderTracking, shipOrder } from './fulfilment';

const orderParam = z.object({ orderId: z.string().min(4).max(40) });

export const fulfilmentAdminRoutes = createRouter();
fulfilmentAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/orders/{orderId}/ship',
    operationId: 'shipOrder',
    tags: ['Orders admin'],
    security: bearerSecurity,
    middleware: requireStaff('orders.write'),
    summary: 'Ship a paid order: carrier + tracking number (paid → shipped)',
    request: { params: orderParam, body: jsonBody(ShipOrderInput) },
    responses: {
      200: jsonContent(OrderDetailSchema),
      400: errorResponses[400],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await shipOrder(ctxOf(c), c.req.valid('param').orderId, c.req.valid('json')), 200),
);

fulfilmentAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/orders/{orderId}/tracking',
    operationId: 'getAdminOrderTracking',
    tags: ['Orders admin'],
    security: bearerSecurity,
    middleware: requireStaff('orders.read'),
    request: { params: orderParam },
    responses: { 200: jsonContent(z.object({ items: z.array(ShipmentSchema) })), 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => c.json(await orderTracking(ctxOf(c), c.req.valid('param').orderId), 200),
);

export const fulfilmentStoreRoutes = createRouter();
fulfilmentStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/orders/{orderId}/tracking',
    operationId: 'getOrderTracking',
    tags: ['Orders'],
    security: bearerSecurity,
    middleware: requireUser,
    summary: 'Parcels of the order with their tracking timelines (newest event first)',
    request: { params: orderParam },
    responses: { 200: jsonContent(z.object({ items: z.array(ShipmentSchema) })), 401: errorResponses[401], 404: errorResponses[404] },
  }),
  async (c) => c.json(await orderTracking(ctxOf(c), c.req.valid('param').orderId), 200),
);
