import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { pageSchema } from '../../shared/pagination';
import { requireStaff } from '../auth/middleware';
import { AdminListOrdersQuery, NoteInput, OrderDetailSchema, OrderSummarySchema } from './dto';
import { addSellerNote, getOrderDetail, listAdminOrders } from './orders.service';
import { exportOrdersCsv } from './export.service';

const tags = ['Orders admin'];
const security = bearerSecurity;
const orderParam = z.object({ orderId: z.string().min(4).max(40) });
export const ordersAdminRoutes = createRouter();

ordersAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/orders',
    operationId: 'listAdminOrders',
    tags,
    security,
    middleware: requireStaff('orders.read'),
    summary: 'Orders with filters; merchant staff see their own merchant only',
    request: { query: AdminListOrdersQuery },
    responses: { 200: jsonContent(pageSchema(OrderSummarySchema)), 400: errorResponses[400], 403: errorResponses[403] },
  }),
  async (c) => c.json(await listAdminOrders(ctxOf(c), c.req.valid('query')), 200),
);

ordersAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/orders/export',
    operationId: 'exportOrders',
    tags,
    security,
    middleware: requireStaff('orders.read'),
    summary: 'The filtered orders as CSV (UTF-8 with BOM)',
    request: { query: AdminListOrdersQuery.omit({ limit: true, cursor: true }) },
    responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, 403: errorResponses[403] },
  }),
  async (c) => {
    const csv = await exportOrdersCsv(ctxOf(c), c.req.valid('query'));
    return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="orders.csv"' });
  },
);

ordersAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/orders/{orderId}',
    operationId: 'getAdminOrder',
    tags,
    security,
    middleware: requireStaff('orders.read'),
    request: { params: orderParam },
    responses: { 200: jsonContent(OrderDetailSchema), 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => c.json(await getOrderDetail(ctxOf(c), c.req.valid('param').orderId), 200),
);

ordersAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/orders/{orderId}/notes',
    operationId: 'addOrderNote',
    tags,
    security,
    middleware: requireStaff('orders.write'),
    request: { params: orderParam, body: jsonBody(NoteInput) },
    responses: { 200: jsonContent(OrderDetailSchema), 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => c.json(await addSellerNote(ctxOf(c), c.req.valid('param').orderId, c.req.valid('json').note), 200),
);
