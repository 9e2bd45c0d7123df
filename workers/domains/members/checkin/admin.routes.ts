import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../../shared/http';
import { requireStaff } from '../../auth/middleware';
import { grantMakeupCardsByStaff } from './cards';
import { getCheckinSettings, getCheckinStats, updateCheckinSettings } from './checkin.service';
import {
  CheckinSettingsSchema,
  CheckinStatsQuery,
  CheckinStatsSchema,
  GrantMakeupCardsInput,
  MakeupCardGrantSchema,
  UpdateCheckinRulesInput,
} from './dto';

const tags = ['Check-in admin'];
const security = bearerSecurity;
export const checkinAdminRoutes = createRouter();

checkinAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/checkin/settings',
    operationId: 'getCheckinSettings',
    tags,
    security,
    middleware: requireStaff('members.read'),
    summary: '签到规则: daily points, the streak bonus ladder, the make-up window',
    responses: { 200: jsonContent(CheckinSettingsSchema), 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await getCheckinSettings(ctxOf(c)), 200),
);

checkinAdminRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/checkin/settings',
    operationId: 'updateCheckinSettings',
    tags,
    security,
    middleware: requireStaff('members.write'),
    summary: 'Replace the check-in rules; check-ins already made keep what they were granted',
    request: { body: jsonBody(UpdateCheckinRulesInput) },
    responses: { 200: jsonContent(CheckinSettingsSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await updateCheckinSettings(ctxOf(c), c.req.valid('json')), 200),
);

checkinAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/checkin/stats',
    operationId: 'getCheckinStats',
    tags,
    security,
    middleware: requireStaff('members.read'),
    summary: 'Check-ins per Beijing day (make-ups counted on the day they fill), oldest first',
    request: { query: CheckinStatsQuery },
    responses: { 200: jsonContent(CheckinStatsSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await getCheckinStats(ctxOf(c), c.req.valid('query')), 200),
);

checkinAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/users/{userId}/makeup-cards',
    operationId: 'grantMakeupCards',
    tags,
    security,
    middleware: requireStaff('members.write'),
    summary: 'Give a shopper make-up cards (补签卡). Idempotent on ref: a repeat answers 200 with replayed and grants nothing',
    request: { params: z.object({ userId: z.string().min(4).max(40) }), body: jsonBody(GrantMakeupCardsInput) },
    responses: {
      201: jsonContent(MakeupCardGrantSchema, 'granted'),
      200: jsonContent(MakeupCardGrantSchema, 'replayed: this ref was already granted'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  }),
  async (c) => {
    const r = await grantMakeupCardsByStaff(ctxOf(c), c.req.valid('param').userId, c.req.valid('json'));
    return r.replayed ? c.json(r, 200) : c.json(r, 201);
  },
);
