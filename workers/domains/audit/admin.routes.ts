import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonContent } from '../../shared/http';
import { pageSchema } from '../../shared/pagination';
import { requireStaff } from '../auth/middleware';
import { AuditEntrySchema, AuditIdParam, ListAuditLogQuery } from './dto';
import { getAuditEntry, listAuditLog } from './audit.service';

const tags = ['Audit log'];
export const auditAdminRoutes = createRouter();

// Read-only on purpose: the log has no route that changes or removes an entry (and triggers refuse it in SQL).
auditAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/audit-log',
    operationId: 'listAuditLog',
    tags,
    security: bearerSecurity,
    middleware: [requireStaff('audit.read')] as const,
    summary: 'Staff writes through the admin API, newest first (who, what, target, before/after)',
    request: { query: ListAuditLogQuery },
    responses: {
      200: jsonContent(pageSchema(AuditEntrySchema)),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
    },
  }),
  async (c) => c.json(await listAuditLog(ctxOf(c), c.req.valid('query')), 200),
);

auditAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/audit-log/{id}',
    operationId: 'getAuditEntry',
    tags,
    security: bearerSecurity,
    middleware: [requireStaff('audit.read')] as const,
    request: { params: AuditIdParam },
    responses: { 200: jsonContent(AuditEntrySchema), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => c.json(await getAuditEntry(ctxOf(c), c.req.valid('param').id), 200),
);
