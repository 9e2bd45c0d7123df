import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../../shared/http';
import { requireStaff } from '../../auth/middleware';
import {
  AdjustBalanceInput,
  BalanceAdjustmentSchema,
  MemberAccountSchema,
  MemberLookupQuery,
  PointsRulesSchema,
  UpdatePointsRulesInput,
  WalletLedgerQuery,
  WalletLedgerSchema,
} from './dto';
import { adjustBalance, lookupMember, walletLedgerOf } from './ledger.service';
import { getPointsRules, rulesDto, updatePointsRules } from './rules.service';
import { listExpiryRuns } from './expiry.service';

export const pointsAdminRoutes = createRouter();
const tags = ['Members admin'];
const userParam = z.object({ userId: z.string().min(4).max(40) });

const RulesWithRunsSchema = PointsRulesSchema.extend({
  expiryRuns: z
    .array(z.object({ date: z.string(), shoppers: z.number().int(), points: z.number().int(), finishedAt: z.string() }))
    .openapi({ description: 'the last expiry runs: the Beijing date points expired at, shoppers and points expired' }),
}).openapi('PointsRulesWithRuns');

pointsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/points-rules',
    operationId: 'getPointsRules',
    tags,
    security: bearerSecurity,
    middleware: requireStaff('members.read'),
    summary: '积分规则: redemption rate, cap, minimum, expiry horizon, on/off (the defaults until saved), and the last expiry runs',
    responses: { 200: jsonContent(RulesWithRunsSchema), 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    return c.json({ ...rulesDto(await getPointsRules(ctx)), expiryRuns: await listExpiryRuns(ctx) }, 200);
  },
);

pointsAdminRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/points-rules',
    operationId: 'updatePointsRules',
    tags,
    security: bearerSecurity,
    middleware: requireStaff('members.write'),
    summary: 'Replace the points rules; the next quote uses them (audit-logged)',
    request: { body: jsonBody(UpdatePointsRulesInput) },
    responses: { 200: jsonContent(PointsRulesSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await updatePointsRules(ctxOf(c), c.req.valid('json')), 200),
);

pointsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/members/lookup',
    operationId: 'lookupMember',
    tags,
    security: bearerSecurity,
    middleware: requireStaff('members.read'),
    summary: 'Find a shopper by phone number or user id: their points, stored balance and next points expiry',
    request: { query: MemberLookupQuery },
    responses: {
      200: jsonContent(MemberAccountSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  }),
  async (c) => c.json(await lookupMember(ctxOf(c), c.req.valid('query').q), 200),
);

pointsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/users/{userId}/wallet',
    operationId: 'getUserWallet',
    tags,
    security: bearerSecurity,
    middleware: requireStaff('members.read'),
    summary: "A shopper's stored balance (fen) and its ledger entries, newest first",
    request: { params: userParam, query: WalletLedgerQuery },
    responses: { 200: jsonContent(WalletLedgerSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await walletLedgerOf(ctxOf(c), c.req.valid('param').userId, c.req.valid('query')), 200),
);

pointsAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/users/{userId}/wallet',
    operationId: 'adjustBalance',
    tags,
    security: bearerSecurity,
    middleware: requireStaff('members.write'),
    summary:
      'Add or take away stored balance (fen; reason required; audit-logged). Idempotent on ref (a repeat returns the first entry with 200); a negative adjustment cannot take the balance below 0 (409 members.not_enough_balance)',
    request: { params: userParam, body: jsonBody(AdjustBalanceInput) },
    responses: {
      201: jsonContent(BalanceAdjustmentSchema, 'adjusted'),
      200: jsonContent(BalanceAdjustmentSchema, 'replayed: this ref was already applied'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const r = await adjustBalance(ctxOf(c), c.req.valid('param').userId, c.req.valid('json'));
    return r.replayed ? c.json(r, 200) : c.json(r, 201);
  },
);
