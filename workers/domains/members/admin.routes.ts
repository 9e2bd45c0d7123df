import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { requireStaff } from '../auth/middleware';
import { AdjustPointsInput, PointsAdjustmentSchema } from './dto';
import { adjustPoints } from './points.service';
import { PointsLedgerQuery, PointsLedgerSchema } from './points/dto';
import { pointsLedgerOf } from './points/ledger.service';

export const membersAdminRoutes = createRouter();

const userParam = z.object({ userId: z.string().min(4).max(40) });

membersAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/users/{userId}/points',
    operationId: 'adjustPoints',
    tags: ['Members admin'],
    security: bearerSecurity,
    middleware: requireStaff('members.write'),
    summary:
      'Add or take away points (reason required; audit-logged). Idempotent on ref (a repeat returns the first entry with 200); a negative adjustment cannot take the balance below 0 (409 members.not_enough_points)',
    request: { params: userParam, body: jsonBody(AdjustPointsInput) },
    responses: {
      201: jsonContent(PointsAdjustmentSchema, 'adjusted'),
      200: jsonContent(PointsAdjustmentSchema, 'replayed: this ref was already applied'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const r = await adjustPoints(ctxOf(c), c.req.valid('param').userId, c.req.valid('json'));
    return r.replayed ? c.json(r, 200) : c.json(r, 201);
  },
);

membersAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/users/{userId}/points',
    operationId: 'getUserPoints',
    tags: ['Members admin'],
    security: bearerSecurity,
    middleware: requireStaff('members.read'),
    summary: "A shopper's points balance, next expiry and ledger entries (all, earned or spent), newest first",
    request: { params: userParam, query: PointsLedgerQuery },
    responses: { 200: jsonContent(PointsLedgerSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await pointsLedgerOf(ctxOf(c), c.req.valid('param').userId, c.req.valid('query')), 200),
);
