import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../../shared/http';
import { requireStaff } from '../../auth/middleware';
import {
  FraudReportSchema,
  LeaderboardSchema,
  PeriodQuery,
  ReferralLookupQuery,
  ReferralLookupSchema,
  ReferralSettingsInput,
  ReferralSettingsSchema,
} from './dto';
import { getReferralSettings, lookupReferrals, referralFraudReport, referralLeaderboard, updateReferralSettings } from './reports';

export const referralsAdminRoutes = createRouter();
const tags = ['Referrals admin'];
const reads = { 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] };

referralsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/referrals/settings',
    operationId: 'getReferralSettings',
    tags,
    security: bearerSecurity,
    middleware: requireStaff('members.read'),
    summary: 'The invite programme (老带新): on/off, both sides’ rewards, the daily cap, the minimum first order, the share card',
    responses: { 200: jsonContent(ReferralSettingsSchema), 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await getReferralSettings(ctxOf(c)), 200),
);

referralsAdminRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/referrals/settings',
    operationId: 'updateReferralSettings',
    tags,
    security: bearerSecurity,
    middleware: requireStaff('members.write'),
    summary: 'Configure the invite programme. Rewards apply to invites decided from now on; granted rewards stay',
    request: { body: jsonBody(ReferralSettingsInput) },
    responses: { 200: jsonContent(ReferralSettingsSchema), ...reads },
  }),
  async (c) => c.json(await updateReferralSettings(ctxOf(c), c.req.valid('json')), 200),
);

referralsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/referrals/leaderboard',
    operationId: 'getReferralLeaderboard',
    tags,
    security: bearerSecurity,
    middleware: requireStaff('members.read'),
    summary: '邀请排行榜: inviters by rewarded invites and reward amount over Beijing days [from, to] (top 50)',
    request: { query: PeriodQuery },
    responses: { 200: jsonContent(LeaderboardSchema), ...reads },
  }),
  async (c) => c.json(await referralLeaderboard(ctxOf(c), c.req.valid('query')), 200),
);

referralsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/referrals/fraud-report',
    operationId: 'getReferralFraudReport',
    tags,
    security: bearerSecurity,
    middleware: requireStaff('members.read'),
    summary: '风控报告: blocked rewards by reason and by day, inviters with the most blocked invites, over Beijing days [from, to]',
    request: { query: PeriodQuery },
    responses: { 200: jsonContent(FraudReportSchema), ...reads },
  }),
  async (c) => c.json(await referralFraudReport(ctxOf(c), c.req.valid('query')), 200),
);

referralsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/referrals',
    operationId: 'listReferrals',
    tags,
    security: bearerSecurity,
    middleware: requireStaff('members.read'),
    summary: 'Binding lookup: the referrals of a shopper (as inviter or invitee), of an invite code, or of an order, with their grants',
    request: { query: ReferralLookupQuery },
    responses: { 200: jsonContent(ReferralLookupSchema), ...reads },
  }),
  async (c) => c.json(await lookupReferrals(ctxOf(c), c.req.valid('query')), 200),
);
