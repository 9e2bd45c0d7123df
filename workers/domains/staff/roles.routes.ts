import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { requireStaff } from '../auth/middleware';
import { RoleSchema, StaffSchema, UpdateStaffInput } from './dto';
import { getStaff } from './staff.service';
import { listRoles, updateStaff } from './staff-manage.service';

const tags = ['Staff'];
const manage = requireStaff('staff.manage');
const idParam = z.object({ id: z.string().min(4).max(40) });

/** Roles and staff management for the console (admins only). */
export const staffManageRoutes = createRouter();

staffManageRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/roles',
    operationId: 'listRoles',
    tags,
    security: bearerSecurity,
    middleware: manage,
    summary: 'Every role with its Chinese label and permissions',
    responses: { 200: jsonContent(z.object({ items: z.array(RoleSchema) })), 401: errorResponses[401], 403: errorResponses[403] },
  }),
  (c) => c.json({ items: listRoles() }, 200),
);

staffManageRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/staff/{id}',
    operationId: 'getStaff',
    tags,
    security: bearerSecurity,
    middleware: manage,
    request: { params: idParam },
    responses: { 200: jsonContent(StaffSchema), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => c.json(await getStaff(ctxOf(c), c.req.valid('param').id), 200),
);

staffManageRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/staff/{id}',
    operationId: 'updateStaff',
    tags,
    security: bearerSecurity,
    middleware: manage,
    summary: 'Rename, change role/merchant, or disable/enable a staff account (disabling ends its sessions at once)',
    request: { params: idParam, body: jsonBody(UpdateStaffInput) },
    responses: {
      200: jsonContent(StaffSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await updateStaff(ctxOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
);
