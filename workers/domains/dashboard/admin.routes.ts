import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonContent } from '../../shared/http';
import { requireStaff } from '../auth/middleware';
import { DashboardQuery, DashboardSchema } from './dto';
import { getDashboard } from './dashboard.service';

export const dashboardAdminRoutes = createRouter();

dashboardAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/dashboard',
    operationId: 'getDashboard',
    tags: ['Dashboard'],
    security: bearerSecurity,
    middleware: requireStaff('orders.read'),
    summary: "Today's GMV, orders, shoppers, AOV, refunds, shipping backlog, low-stock alerts and a daily series (merchants: their own)",
    request: { query: DashboardQuery },
    responses: { 200: jsonContent(DashboardSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await getDashboard(ctxOf(c), c.req.valid('query')), 200),
);
