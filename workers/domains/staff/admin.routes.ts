import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { unauthorized } from '../../shared/errors';
import { revokeSession } from '../auth/auth.service';
import { RefreshInput, TokenPairSchema } from '../auth/dto';
import { requireStaff } from '../auth/middleware';
import { AdminLoginInput, AdminLoginResult, CreateStaffInput, StaffSchema } from './dto';
import { createStaff, getStaff, listStaff, loginStaff, refreshStaffTokens } from './staff.service';

const tags = ['Staff'];
export const staffRoutes = createRouter();

staffRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/auth/login',
    operationId: 'adminLogin',
    tags,
    summary: 'Staff sign-in with email and password',
    request: { body: jsonBody(AdminLoginInput) },
    responses: { 200: jsonContent(AdminLoginResult), 400: errorResponses[400], 401: errorResponses[401] },
  }),
  async (c) => c.json(await loginStaff(ctxOf(c), c.req.valid('json')), 200),
);

staffRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/auth/refresh',
    operationId: 'refreshAdminToken',
    tags,
    summary: 'Rotate a staff refresh token',
    request: { body: jsonBody(RefreshInput) },
    responses: { 200: jsonContent(TokenPairSchema), 401: errorResponses[401] },
  }),
  async (c) => c.json(await refreshStaffTokens(ctxOf(c), c.req.valid('json').refreshToken), 200),
);

staffRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/auth/logout',
    operationId: 'adminLogout',
    tags,
    security: bearerSecurity,
    summary: 'End the staff session at once',
    responses: { 200: jsonContent(z.object({ ok: z.literal(true) })), 401: errorResponses[401] },
  }),
  async (c) => {
    const actor = c.get('actor');
    if (actor.kind !== 'staff') throw unauthorized();
    await revokeSession(ctxOf(c), actor.sessionId);
    return c.json({ ok: true as const }, 200);
  },
);

staffRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me',
    operationId: 'getAdminMe',
    tags,
    security: bearerSecurity,
    summary: 'The signed-in staff member and their permissions',
    responses: { 200: jsonContent(StaffSchema), 401: errorResponses[401] },
  }),
  async (c) => {
    const actor = c.get('actor');
    if (actor.kind !== 'staff') throw unauthorized();
    return c.json(await getStaff(ctxOf(c), actor.staffId), 200);
  },
);

staffRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/staff',
    operationId: 'listStaff',
    tags,
    security: bearerSecurity,
    middleware: [requireStaff('staff.manage')] as const,
    responses: { 200: jsonContent(z.object({ items: z.array(StaffSchema) })), 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json({ items: await listStaff(ctxOf(c)) }, 200),
);

staffRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/staff',
    operationId: 'createStaff',
    tags,
    security: bearerSecurity,
    middleware: [requireStaff('staff.manage')] as const,
    request: { body: jsonBody(CreateStaffInput) },
    responses: { 201: jsonContent(StaffSchema, 'created'), 400: errorResponses[400], 403: errorResponses[403], 409: errorResponses[409] },
  }),
  async (c) => c.json(await createStaff(ctxOf(c), c.req.valid('json')), 201),
);
